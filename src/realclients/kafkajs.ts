// kafkajs inside the simulation: an application function gets a `Kafka` instance whose sockets are the node's
// SimSockets (kafkajs's `socketFactory`), and a recorder that puts its sends and consumed records in the run's
// history. kafkajs itself is unmodified; the harness (RealClientHarness) gives it virtual time and seeded randomness.
import kafkajsModule, {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type ConsumerConfig,
  type ConsumerRunConfig,
  type ICustomPartitioner,
  type KafkaConfig,
  type KafkaMessage as ConsumedMessage,
  type Message as KafkaMessage,
  type Producer,
  type ProducerConfig,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';
import { gzipSync, unzipSync } from 'node:zlib';
import type { OwnershipNote, ProcessedNote } from '../history/GroupNote.ts';
import type { HistoryNote } from '../history/HistoryNote.ts';
import type { RealClientApp, RealClientProcess } from './RealClientHost.ts';

/** What a kafkajs application gets. */
export interface KafkajsAppContext {
  kafka: Kafka;
  recorder: KafkajsRecorder;
  /** The node the application runs on, and which boot of it this is. */
  nodeId: string;
  incarnation: number;
}

/** A kafkajs application: what an `apps` module exports. */
export type KafkajsApp = (context: KafkajsAppContext) => unknown;

/** Options of `kafkajsClient`. */
export interface KafkajsClientOptions {
  /** The bootstrap servers, `broker-1:9092` style. */
  brokers: string[];
  /** More kafkajs client settings (retry, connectionTimeout, requestTimeout, ...); socketFactory is the harness's. */
  config?: Omit<KafkaConfig, 'brokers' | 'socketFactory'>;
}

/**
 * kafkajs's retry defaults (src/retry/defaults.js). kafkajs takes shorter ones when NODE_ENV is 'test' as it loads
 * (`retry/index.js`), which a test runner sets: passing these makes a run the same whatever the environment.
 */
export const KAFKAJS_RETRY_DEFAULTS = { maxRetryTime: 30_000, initialRetryTime: 300, factor: 0.2, multiplier: 2, retries: 5 } as const;

/**
 * Replaces kafkajs's gzip codec, which runs zlib on libuv's thread pool (its callbacks come back when the machine
 * pleases), with the same compression done synchronously; returns what puts the original back. The harness's run
 * installs it for its duration.
 */
export function useSynchronousKafkajsCodecs(): () => void {
  // CommonJS exports Node's ESM loader cannot name (kafkajs assigns them in a way cjs-module-lexer does not see).
  const { CompressionCodecs, CompressionTypes } = kafkajsModule;
  const codecs = CompressionCodecs as unknown as Record<number, () => unknown>;
  const original = codecs[CompressionTypes.GZIP];
  codecs[CompressionTypes.GZIP] = () => ({
    compress: async (encoder: { buffer: Buffer }) => gzipSync(encoder.buffer),
    decompress: async (buffer: Buffer) => unzipSync(buffer),
  });
  return () => {
    if (original === undefined) delete codecs[CompressionTypes.GZIP];
    else codecs[CompressionTypes.GZIP] = original;
  };
}

/** The RealClientApp that runs a kafkajs application. */
export function kafkajsClient(app: KafkajsApp, { brokers, config = {} }: KafkajsClientOptions): RealClientApp {
  return (process: RealClientProcess) => {
    const kafka = new Kafka({
      clientId: process.nodeId,
      logLevel: logLevel.NOTHING,
      ...config,
      retry: { ...KAFKAJS_RETRY_DEFAULTS, ...config.retry },
      brokers,
      socketFactory: ({ host, port, onConnect }) => process.connect(host, port, onConnect) as never,
    });
    return app({ kafka, recorder: new KafkajsRecorder(process), nodeId: process.nodeId, incarnation: process.incarnation });
  };
}

/**
 * Puts a kafkajs application's operations in the history, as the simulator's own clients do with their notes: each
 * message of a send is a `send` operation, acknowledged with its partition and offset or indefinite (`info`) when
 * the send failed (a failed send may still have been written); each consumed message is a `poll` that returned it.
 */
export class KafkajsRecorder {
  private nextId = 0;

  constructor(private readonly process: Pick<RealClientProcess, 'note' | 'generationOf' | 'onExit' | 'onJoinGroupSent'>) {}

  /**
   * A producer whose sends are recorded. Its partitioner (the one configured, or kafkajs's default) is watched to
   * learn which partition each message went to, so the acknowledgement can give each message its offset.
   */
  producer(kafka: Kafka, config: ProducerConfig = {}): Producer {
    const chosen = new WeakMap<KafkaMessage, number>();
    const create: ICustomPartitioner = config.createPartitioner ?? Partitioners.DefaultPartitioner;
    const createPartitioner: ICustomPartitioner = () => {
      const partitioner = create();
      return (args) => {
        const partition = partitioner(args);
        chosen.set(args.message, partition);
        return partition;
      };
    };
    const producer = kafka.producer({ ...config, createPartitioner });
    return Object.assign(Object.create(producer) as Producer, { send: (record: ProducerRecord) => this.send(producer, record, chosen) });
  }

  /**
   * A consumer group member whose work is recorded: each message its `eachMessage` handled is a poll that returned it
   * and a processed record, and its ownership (the partitions of each generation it joined, none from the moment it
   * sends a JoinGroup, starts rebalancing, crashes or stops) goes to the rebalance log, as the simulator's own
   * consumers report theirs.
   * The generation is the one the member's JoinGroup response carried (kafkajs does not tell its application).
   */
  consumer(kafka: Kafka, config: ConsumerConfig): Consumer {
    const consumer = kafka.consumer(config);
    const { groupId } = config;
    let member = { memberId: '', generation: -1 };
    let owning = false;
    const own = (partitions: string[]) => {
      owning = partitions.length > 0;
      const note: OwnershipNote = { group: 'owned', groupId, memberId: member.memberId, generation: member.generation, partitions };
      this.process.note(note);
    };
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      member = { memberId: payload.memberId, generation: this.process.generationOf(payload.memberId) };
      own(Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}-${p}`)));
    });
    // kafkajs's consumer crashes on errors its retries did not overcome; `restart` says whether it starts itself again.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.process.note({ app: 'consumer.crash', groupId, error: `${payload.error.name}: ${payload.error.message}`, restart: payload.restart });
    });
    for (const event of [consumer.events.REBALANCING, consumer.events.CRASH, consumer.events.STOP]) {
      consumer.on(event, () => {
        if (owning) own([]);
      });
    }
    this.process.onExit(() => {
      if (owning) own([]);
    });
    // Sending a JoinGroup is where an eager member has given its partitions up, whichever of kafkajs's paths rejoins
    // (not all of them emit REBALANCING first).
    this.process.onJoinGroupSent((joining) => {
      if (joining === groupId && owning) own([]);
    });
    // A subscription is an operation of the history: from it on, a poll whose membership changed may start afresh
    // (a rebalance moves positions to the committed offsets), as the checkers allow the simulator's consumers.
    const subscribe = consumer.subscribe.bind(consumer);
    const recordedSubscribe = async (subscription: Parameters<Consumer['subscribe']>[0]) => {
      const topics = 'topics' in subscription ? subscription.topics : [subscription.topic];
      const value = { topics: topics.map(String) };
      const id = this.invoke('subscribe', value);
      try {
        await subscribe(subscription);
      } catch (error) {
        this.note({ history: 'complete', id, type: 'fail', value });
        throw error;
      }
      this.note({ history: 'complete', id, type: 'ok', value });
    };
    const run = consumer.run.bind(consumer);
    const recorded = async (options: ConsumerRunConfig = {}) =>
      run({
        ...options,
        eachMessage: async (payload) => {
          await options.eachMessage?.(payload);
          this.consumed(groupId, member, payload.topic, payload.partition, payload.message);
        },
      });
    return Object.assign(Object.create(consumer) as Consumer, { run: recorded, subscribe: recordedSubscribe });
  }

  /** One message handled (eachMessage): a poll that returned it, and the record processed by the member. */
  private consumed(groupId: string, member: { memberId: string; generation: number }, topic: string, partition: number, message: ConsumedMessage): void {
    const id = this.invoke('poll', {});
    const record = { topic, partition, offset: Number(message.offset), key: message.key?.toString('utf8') ?? null, value: message.value?.toString('utf8') ?? '' };
    this.note({ history: 'complete', id, type: 'ok', value: { records: [record], ...member } });
    const processed: ProcessedNote = { group: 'processed', groupId, ...member, topic, partition, offset: record.offset, value: record.value };
    this.process.note(processed);
  }

  private async send(producer: Producer, record: ProducerRecord, chosen: WeakMap<KafkaMessage, number>): Promise<RecordMetadata[]> {
    const values = record.messages.map((m) => ({ topic: record.topic, key: text(m.key), value: text(m.value) ?? '' }));
    const ids = values.map((value) => this.invoke('send', value));
    let metadata: RecordMetadata[];
    try {
      metadata = await producer.send(record);
    } catch (error) {
      ids.forEach((id, i) => this.note({ history: 'complete', id, type: 'info', value: values[i]! }));
      throw error;
    }
    const nextOffset = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]));
    record.messages.forEach((message, i) => {
      const partition = chosen.get(message) ?? -1;
      const offset = nextOffset.get(partition);
      if (offset === undefined) {
        this.note({ history: 'complete', id: ids[i]!, type: 'info', value: values[i]! });
        return;
      }
      nextOffset.set(partition, offset + 1);
      this.note({ history: 'complete', id: ids[i]!, type: 'ok', value: { ...values[i]!, partition, offset } });
    });
    return metadata;
  }

  private invoke(f: 'send' | 'poll' | 'subscribe', value: object): number {
    const id = this.nextId++;
    this.note({ history: 'invoke', id, f, value } as HistoryNote);
    return id;
  }

  private note(note: HistoryNote): void {
    this.process.note(note);
  }
}

function text(value: KafkaMessage['key']): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.toString('utf8');
}
