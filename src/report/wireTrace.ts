// The trace as the report reads it when real clients ran: their connections carry Kafka's bytes (`tcp.data`), which
// say nothing to a reader of the message diagram or to the record stories. Here each such message is shown as the
// request or response its frame holds (`produce.request`, `fetch.response`, ... with Kafka's API name and version),
// and Produce frames are read in full (their records, the answer's offsets and errors), so that a kafkajs record's
// story is told from its send through its acknowledgement as a simulated producer's is. Only the report reads this;
// the run's trace and its hash are the bytes.
import type { TraceEntry } from '../history/Trace.ts';
import { errorByCode } from '../protocol/errors.ts';
import { ByteReader } from '../protocol/wire/ByteReader.ts';
import { apiByKey, apiKeys } from '../protocol/wire/apiKeys.ts';
import { decodeProduceRequest } from '../protocol/wire/produceRequest.ts';
import { decodeRequestFrame, readFrames } from '../protocol/wire/framing.ts';
import { simBatchOf } from '../realclients/wireApis.ts';
import { TCP } from '../realclients/connectionMessages.ts';

type Sent = Extract<TraceEntry, { kind: 'sent' }>;

/** `trace` with each `tcp.data` message shown as the Kafka request or response it carries. */
export function readWireTrace(trace: readonly TraceEntry[]): TraceEntry[] {
  // The API and version of each request in flight, by client node, socket and correlation id.
  const requests = new Map<string, { apiKey: number; apiVersion: number }>();
  return trace.map((entry) => {
    if (entry.kind !== 'sent') return entry;
    const message = entry.message as { type?: string; socket?: number; bytes?: string };
    if (message.type !== TCP.data || message.bytes === undefined) return entry;
    const toBroker = entry.to.startsWith('broker-');
    const client = toBroker ? entry.from : entry.to;
    const frame = firstFrame(Buffer.from(message.bytes, 'base64'));
    if (frame === undefined) return entry;
    try {
      return { ...entry, message: toBroker ? request(frame, client, message.socket, requests) : response(frame, client, message.socket, requests) } as Sent;
    } catch {
      return entry;
    }
  });
}

function firstFrame(bytes: Buffer): Buffer | undefined {
  return readFrames(bytes).frames[0];
}

const typeOf = (apiKey: number, kind: 'request' | 'response') => {
  const name = apiByKey(apiKey)?.name ?? `api${apiKey}`;
  return `${name.charAt(0).toLowerCase()}${name.slice(1)}.${kind}`;
};

function request(frame: Buffer, client: string, socket: number | undefined, requests: Map<string, { apiKey: number; apiVersion: number }>): object {
  const { header, body } = decodeRequestFrame(frame);
  const { requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId } = header;
  requests.set(`${client} ${socket} ${correlationId}`, { apiKey, apiVersion });
  const wire = `${apiByKey(apiKey)?.name ?? apiKey} v${apiVersion}, socket ${socket}`;
  if (apiKey !== apiKeys.Produce.apiKey) return { type: typeOf(apiKey, 'request'), correlationId, wire };
  const produce = decodeProduceRequest(body, apiVersion);
  const partitions = produce.topicData.flatMap((topic) =>
    topic.partitionData.flatMap((data) => (data.records ?? []).map((batch) => ({ topic: topic.name, partition: data.index, batch: simBatchOf(batch) }))),
  );
  return { type: 'produce.request', correlationId, acks: produce.acks, partitions, wire };
}

// Produce responses v3-v7 are read (Kafka's ProduceResponse.json): responses [name, [index, error_code, base_offset,
// log_append_time_ms (v2+), log_start_offset (v5+)]], throttle_time_ms; other responses are named only.
function response(frame: Buffer, client: string, socket: number | undefined, requests: Map<string, { apiKey: number; apiVersion: number }>): object {
  const reader = new ByteReader(frame);
  const correlationId = reader.readInt32('correlationId');
  const asked = requests.get(`${client} ${socket} ${correlationId}`);
  if (asked === undefined) return { type: 'kafka.response', correlationId };
  const wire = `${apiByKey(asked.apiKey)?.name ?? asked.apiKey} v${asked.apiVersion}, socket ${socket}`;
  if (asked.apiKey !== apiKeys.Produce.apiKey) return { type: typeOf(asked.apiKey, 'response'), correlationId, wire };
  const partitions = reader
    .readArray('responses', (topic) => {
      const name = topic.readString('name');
      return topic.readArray('partitionResponses', (p) => {
        const partition = p.readInt32('index');
        const code = p.readInt16('errorCode');
        const baseOffset = Number(p.readInt64('baseOffset'));
        p.readInt64('logAppendTimeMs');
        if (asked.apiVersion >= 5) p.readInt64('logStartOffset');
        const errorCode = errorByCode(code)?.type ?? `error ${code}`;
        return { topic: name, partition, baseOffset, ...(code === 0 ? {} : { errorCode }) };
      });
    })
    .flat();
  return { type: 'produce.response', correlationId, partitions, wire };
}
