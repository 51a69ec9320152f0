// A kafkajs application that leaves a rejected promise unhandled on its first boot: Node would end its process.
export default async function rejectsOnce({ recorder, kafka, incarnation, settings }) {
  const producer = recorder.producer(kafka, { idempotent: true });
  await producer.connect();
  if (incarnation === 1) {
    Promise.reject(new Error('nobody handles this'));
    return;
  }
  await producer.send({ topic: settings.topic, acks: -1, messages: [{ key: 'k', value: `after-restart:${incarnation}` }] });
}
