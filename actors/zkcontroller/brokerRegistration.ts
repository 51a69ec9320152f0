import type { ZkCall } from '../zookeeper/zkClient.ts';
import type { ZkResponse } from '../../src/protocol/zookeeperMessages.ts';

// How a ZooKeeper-mode broker registers itself (Kafka 3.9 `KafkaZkClient#registerBroker` through
// `checkedEphemeralCreate`), as a conversation with ZooKeeper, one call at a time. At startup the broker makes sure the
// persistent parents exist (`createTopLevelPaths`: `/brokers`, `/brokers/ids`), then creates `/brokers/ids/N` as an
// ephemeral znode bound to its session, in one multi of an empty create and a setData to version 0 (`CheckedEphemeral
// #create`). The create's zxid, the znode's czxid, is the broker's epoch: the controller fences requests that carry an
// older one. When the znode already exists, the broker reads it: owned by the session this broker registered with
// last while it now has another (ZOOKEEPER-2985, an expired session's ephemeral still there), it deletes and creates
// it again; owned by its current session, the registration stands; owned by any other session, another broker holds
// this id, and the registration fails with NODEEXISTS (Kafka throws; at startup the broker stops). A connection lost
// mid-call is retried (`retryRequestUntilConnected`). After a session expires, the owner starts a registration again
// on the new session (`KafkaController`'s `RegisterBrokerAndReelect`), and gets a new broker epoch.

export const BROKER_IDS_PATH = '/brokers/ids';

/** `/brokers/ids/N` of a broker. */
export function brokerPath(brokerId: number): string {
  return `${BROKER_IDS_PATH}/${brokerId}`;
}

/** `/brokers/ids/N`'s data (BrokerInfo's JSON, version 5, with the fields the simulator has). */
export interface BrokerZNodeData {
  readonly version: 5;
  readonly host: string;
  readonly port: number;
  readonly endpoints: readonly string[];
  readonly jmx_port: -1;
  readonly rack: null;
  readonly timestamp: string;
}

/** Where a registration stands. */
export type BrokerRegistration =
  | { readonly step: 'createParent'; readonly path: string }
  | { readonly step: 'create' }
  | { readonly step: 'readExisting' }
  | { readonly step: 'deleteStale' }
  /** Registered: the broker epoch (the znode's czxid) and the session it is bound to. */
  | { readonly step: 'registered'; readonly brokerEpoch: number; readonly sessionId: number }
  /** Refused: another session holds `/brokers/ids/N`, or ZooKeeper answered an error a retry does not cure. */
  | { readonly step: 'failed'; readonly errorCode: string };

/** The registration's state, the call to make next (none once decided), and the session it runs on. */
export interface RegistrationStep {
  readonly registration: BrokerRegistration;
  readonly call: ZkCall | null;
}

/** What the registration knows besides ZooKeeper's answers. */
export interface RegistrationContext {
  readonly brokerId: number;
  /** The session the client has now. */
  readonly sessionId: number;
  /** The session of this broker's last successful registration, -1 before any (`currentZooKeeperSessionId`). */
  readonly registeredSessionId: number;
  readonly nowMs: number;
}

const PARENTS = ['/brokers', BROKER_IDS_PATH];

/** A registration starts with the persistent parents (`KafkaZkClient#createTopLevelPaths`). */
export function startBrokerRegistration(): RegistrationStep {
  return createParent(PARENTS[0] as string);
}

/**
 * The answer to the registration's last call. CONNECTIONLOSS repeats the call (it may have been applied: a create
 * repeated then finds its own znode and reads it); SESSIONEXPIRED and other errors end the registration, which the
 * owner starts again on its new session.
 */
export function onRegistrationResponse(registration: BrokerRegistration, lastCall: ZkCall | null, response: ZkResponse, context: RegistrationContext): RegistrationStep {
  if (response.errorCode === 'CONNECTIONLOSS' && lastCall !== null) return { registration, call: lastCall };
  switch (registration.step) {
    case 'createParent': {
      if (response.errorCode !== 'OK' && response.errorCode !== 'NODEEXISTS') return failed(response.errorCode);
      const next = PARENTS[PARENTS.indexOf(registration.path) + 1];
      return next === undefined ? create(context) : createParent(next);
    }
    case 'create':
      if (response.errorCode === 'OK') {
        // The setData's stat: its czxid is the create's zxid.
        const stat = response.results?.[1]?.stat;
        return stat === undefined ? failed('RUNTIMEINCONSISTENCY') : registered(stat.czxid, context);
      }
      if (response.errorCode === 'NODEEXISTS') return { registration: { step: 'readExisting' }, call: { type: 'zk.getData.request', path: brokerPath(context.brokerId), watch: false } };
      return failed(response.errorCode);
    case 'readExisting': {
      // Gone while it was read: create it again.
      if (response.errorCode === 'NONODE') return create(context);
      if (response.errorCode !== 'OK' || response.stat === undefined) return failed(response.errorCode);
      const owner = response.stat.ephemeralOwner;
      // `shouldReCreateEphemeralZNode`: the znode is this broker's, from the session it registered with before.
      if (owner === context.registeredSessionId && context.sessionId !== context.registeredSessionId) {
        return { registration: { step: 'deleteStale' }, call: { type: 'zk.delete.request', path: brokerPath(context.brokerId), version: -1 } };
      }
      if (owner !== context.sessionId) return failed('NODEEXISTS');
      return registered(response.stat.czxid, context);
    }
    case 'deleteStale':
      return response.errorCode === 'OK' || response.errorCode === 'NONODE' ? create(context) : failed(response.errorCode);
    case 'registered':
    case 'failed':
      return { registration, call: null };
  }
}

/** The broker's data as it registers it. */
export function brokerZNodeData(brokerId: number, nowMs: number): BrokerZNodeData {
  const host = `broker-${brokerId}`;
  return { version: 5, host, port: 9092, endpoints: [`PLAINTEXT://${host}:9092`], jmx_port: -1, rack: null, timestamp: String(Math.floor(nowMs)) };
}

function createParent(path: string): RegistrationStep {
  return { registration: { step: 'createParent', path }, call: { type: 'zk.create.request', path, data: null, ephemeral: false } };
}

// `CheckedEphemeral#create`: an empty ephemeral create and a setData of the data to version 0, in one multi.
function create(context: RegistrationContext): RegistrationStep {
  const path = brokerPath(context.brokerId);
  return {
    registration: { step: 'create' },
    call: {
      type: 'zk.multi.request',
      ops: [
        { op: 'create', path, data: null, ephemeral: true },
        { op: 'setData', path, data: brokerZNodeData(context.brokerId, context.nowMs), version: 0 },
      ],
    },
  };
}

function registered(brokerEpoch: number, context: RegistrationContext): RegistrationStep {
  return { registration: { step: 'registered', brokerEpoch, sessionId: context.sessionId }, call: null };
}

function failed(errorCode: string): RegistrationStep {
  return { registration: { step: 'failed', errorCode }, call: null };
}
