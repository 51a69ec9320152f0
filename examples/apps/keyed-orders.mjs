// A kafkajs application as a user writes one: an idempotent producer that writes each customer's orders with the
// customer as the key, so each customer's orders stay in order in one partition. kafka-sim runs it unmodified,
// with a `Kafka` instance connected to the simulated cluster; `recorder.producer` is kafkajs's `kafka.producer`,
// recorded for the checkers. `settings` are the scenario's `apps[i].settings`.
/* global setTimeout */
export default async function keyedOrders({ kafka, recorder, settings, nodeId, incarnation }) {
  const producer = recorder.producer(kafka, { idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let order = 0; order < settings.orders; order++) {
    const customer = `customer-${order % settings.customers}`;
    try {
      await producer.send({
        topic: settings.topic,
        acks: -1,
        messages: [{ key: customer, value: `${nodeId}:${incarnation}:order-${order}`, headers: { source: 'keyed-orders' } }],
      });
    } catch {
      // Recorded as indefinite; the application goes on with the next order.
    }
    await new Promise((resolve) => setTimeout(resolve, settings.intervalMs));
  }
  await producer.disconnect();
}
