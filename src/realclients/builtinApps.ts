// The kafkajs applications a scenario can name without writing one (`apps[i].app`): an idempotent producer and a
// consumer group member. Each reads its settings from the scenario (checked here, so a bad one is named before the
// run) and records what it does through the recorder, so the history checkers judge it.
import { z } from 'zod';
import type { KafkajsApp } from './kafkajs.ts';

const count = (min: number, max: number) => z.number({ error: `an integer from ${min} to ${max}` }).int({ error: `an integer from ${min} to ${max}` }).min(min).max(max);

/** The built-in producer: `records` sends of one message each, one at a time, `intervalMs` apart. */
export const producerSettings = z.strictObject({
  topic: z.string({ error: 'a topic name' }).min(1),
  /** How many records each boot of the application sends (a restarted one starts again, with new values). */
  records: count(0, 1_000_000).default(100),
  intervalMs: count(0, 3_600_000).default(100),
  /** Keys `key-0` .. `key-(keys-1)` in turn; 0 sends null keys (kafkajs spreads them round-robin). */
  keys: count(0, 1_000_000).default(7),
  /** kafkajs's `idempotent` (then acks must be -1). */
  idempotent: z.boolean({ error: 'true or false' }).default(true),
  acks: z.union([z.literal(-1), z.literal(0), z.literal(1)], { error: '-1, 0 or 1' }).default(-1),
});

/** The built-in consumer group member: subscribes, records every message it is handed (eachMessage), commits. */
export const groupConsumerSettings = z.strictObject({
  groupId: z.string({ error: 'a group id' }).min(1),
  topics: z.array(z.string().min(1), { error: 'a non-empty array of topic names' }).min(1),
  fromBeginning: z.boolean({ error: 'true or false' }).default(true),
  /** kafkajs's sessionTimeout (30,000) and heartbeatInterval (3,000), in ms. */
  sessionTimeout: count(1, 3_600_000).optional(),
  heartbeatInterval: count(1, 3_600_000).optional(),
  /** kafkajs's rebalanceTimeout (60,000 ms). */
  rebalanceTimeout: count(1, 3_600_000).optional(),
  /** How long the application takes over each message, in ms (default 0). */
  processingMs: count(0, 3_600_000).default(0),
  /**
   * An application bug to check the at-least-once property against: commit each message's offset before
   * processing it (kafkajs's autoCommit off, commitOffsets first). A crash in between loses the message.
   */
  commitBeforeProcessing: z.boolean({ error: 'true or false' }).default(false),
});

// Application code: under the harness this timer is the node's, on the virtual clock.
// eslint-disable-next-line no-restricted-globals -- the harness makes it a virtual timer
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function producerApp(settings: z.infer<typeof producerSettings>): KafkajsApp {
  return async ({ kafka, recorder, nodeId, incarnation }) => {
    const producer = recorder.producer(kafka, { idempotent: settings.idempotent });
    await producer.connect();
    for (let i = 0; i < settings.records; i++) {
      const key = settings.keys === 0 ? null : `key-${i % settings.keys}`;
      // Unique in the run: the checkers name a record by its value.
      const value = `${nodeId}:${incarnation}:${i}`;
      try {
        await producer.send({ topic: settings.topic, acks: settings.acks, messages: [{ key, value }] });
      } catch {
        // The recorder has the send as indefinite; an application that logs and goes on.
      }
      if (settings.intervalMs > 0) await sleep(settings.intervalMs);
    }
  };
}

function groupConsumerApp(settings: z.infer<typeof groupConsumerSettings>): KafkajsApp {
  return async ({ kafka, recorder }) => {
    const { groupId, topics, fromBeginning, sessionTimeout, heartbeatInterval, rebalanceTimeout, processingMs, commitBeforeProcessing } = settings;
    const timeouts = { ...(sessionTimeout === undefined ? {} : { sessionTimeout }), ...(heartbeatInterval === undefined ? {} : { heartbeatInterval }), ...(rebalanceTimeout === undefined ? {} : { rebalanceTimeout }) };
    const consumer = recorder.consumer(kafka, { groupId, ...timeouts });
    // kafkajs does not restart a consumer after some errors (a coordinator it cannot find): the application exits
    // then, and its supervisor starts it again, as a service written against kafkajs's CRASH event does.
    const crashed = new Promise<never>((_, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error);
      });
    });
    crashed.catch(() => undefined); // handled below; a rejection before then must not go unhandled
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning });
    // The recorder records each message once eachMessage has handled it.
    await consumer.run({
      autoCommit: !commitBeforeProcessing,
      eachMessage: async ({ topic, partition, message }) => {
        if (commitBeforeProcessing) await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        if (processingMs > 0) await sleep(processingMs);
      },
    });
    await crashed;
  };
}

/** The built-in applications by name: each checks its settings and returns the app. */
export const builtinApps = {
  producer: { settings: producerSettings, create: (settings: unknown) => producerApp(producerSettings.parse(settings ?? {})) },
  'group-consumer': { settings: groupConsumerSettings, create: (settings: unknown) => groupConsumerApp(groupConsumerSettings.parse(settings ?? {})) },
} as const;

/** Whether `app` names a built-in application. */
export function isBuiltinApp(app: string): app is keyof typeof builtinApps {
  return Object.hasOwn(builtinApps, app);
}
