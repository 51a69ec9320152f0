// A kafkajs producer that compresses its batches with gzip (kafkajs's CompressionTypes.GZIP is 1).
export default async function gzipProducer({ recorder, kafka, nodeId, settings }) {
  const producer = recorder.producer(kafka, { idempotent: true });
  await producer.connect();
  for (let i = 0; i < settings.records; i++) {
    await producer.send({ topic: settings.topic, acks: -1, compression: 1, messages: [{ key: `k${i % 3}`, value: `${nodeId}:${i}` }] });
  }
}
