import type { ZkCall } from '../zookeeper/zkClient.ts';
import type { ZkResponse } from '../../src/protocol/zookeeperMessages.ts';

// How a broker becomes the controller in ZooKeeper mode (Kafka 3.9 `KafkaController#elect` and
// `KafkaZkClient#registerControllerAndIncrementControllerEpoch`), as a conversation with ZooKeeper: watch
// `/controller` and, if it exists, read who holds it; if no one does, read `/controller_epoch` (creating it at 0 the first time), then in
// one multi create `/controller` as an ephemeral znode naming this broker and set `/controller_epoch` to the next epoch,
// conditional on the version just read. A multi that fails (NODEEXISTS: another broker won; BADVERSION: another
// election moved the epoch) is settled by reading both again: this broker won only if `/controller` names it and the
// epoch is the one it wrote. The winner keeps the epoch's zkVersion: every later write of partition state is a multi
// that checks it, so a controller that lost its session (a zombie) cannot write once another was elected.

export const CONTROLLER_PATH = '/controller';
export const CONTROLLER_EPOCH_PATH = '/controller_epoch';

/** `/controller`'s data (ControllerZNode, version 2). */
export interface ControllerZNodeData {
  readonly version: 2;
  readonly brokerid: number;
  readonly timestamp: string;
}

/** Where an election stands. */
export type ControllerElection =
  | { readonly step: 'watchController' }
  | { readonly step: 'readController' }
  | { readonly step: 'readEpoch' }
  | { readonly step: 'createEpoch' }
  | { readonly step: 'register'; readonly newEpoch: number }
  | { readonly step: 'verifyController'; readonly newEpoch: number }
  | { readonly step: 'verifyEpoch'; readonly newEpoch: number }
  /** This broker is the controller, with the epoch it wrote and that write's zkVersion. */
  | { readonly step: 'elected'; readonly epoch: number; readonly epochZkVersion: number }
  /** Another broker is (or just became) the controller; the watch on /controller says when that changes. */
  | { readonly step: 'notElected'; readonly controllerId: number };

// The plain reads the election makes (no watch: the exists at its start set the one on /controller).
const READ_CONTROLLER: ZkCall = { type: 'zk.getData.request', path: CONTROLLER_PATH, watch: false };
const READ_EPOCH: ZkCall = { type: 'zk.getData.request', path: CONTROLLER_EPOCH_PATH, watch: false };

/** What to do next: the election's state and the ZooKeeper call to make (none once decided). */
export interface ElectionStep {
  readonly election: ControllerElection;
  readonly call: ZkCall | null;
}

/**
 * The election starts: watch `/controller` whether or not it exists (`registerZNodeChangeHandlerAndCheckExistence`,
 * an exists with a watch), then read who holds it (`getControllerId`).
 */
export function startControllerElection(): ElectionStep {
  return { election: { step: 'watchController' }, call: { type: 'zk.exists.request', path: CONTROLLER_PATH, watch: true } };
}

/**
 * The answer to the election's last call. Errors other than the ones the election expects (a lost connection,
 * an expired session) start it again from the read of `/controller`, as Kafka's retries until connected do.
 */
export function onElectionResponse(election: ControllerElection, response: ZkResponse, brokerId: number, nowMs: number): ElectionStep {
  const again = startControllerElection();
  switch (election.step) {
    case 'watchController':
      if (response.errorCode === 'OK') return { election: { step: 'readController' }, call: READ_CONTROLLER };
      if (response.errorCode !== 'NONODE') return again;
      return { election: { step: 'readEpoch' }, call: READ_EPOCH };
    case 'readController':
      // Gone between the two reads: the election runs again.
      return response.errorCode === 'OK' ? { election: { step: 'notElected', controllerId: controllerIdOf(response.data) }, call: null } : again;
    case 'readEpoch':
      if (response.errorCode === 'NONODE') return { election: { step: 'createEpoch' }, call: { type: 'zk.create.request', path: CONTROLLER_EPOCH_PATH, data: 0, ephemeral: false } };
      if (response.errorCode !== 'OK' || response.stat === undefined) return again;
      return register(Number(response.data) + 1, response.stat.version, brokerId, nowMs);
    case 'createEpoch':
      // Created, or created by another broker meanwhile (`maybeCreateControllerEpochZNode`): read it either way.
      if (response.errorCode !== 'OK' && response.errorCode !== 'NODEEXISTS') return again;
      return { election: { step: 'readEpoch' }, call: READ_EPOCH };
    case 'register': {
      if (response.errorCode === 'OK') {
        const epochWrite = response.results?.[1];
        return { election: { step: 'elected', epoch: election.newEpoch, epochZkVersion: epochWrite?.stat?.version ?? -1 }, call: null };
      }
      if (response.errorCode !== 'NODEEXISTS' && response.errorCode !== 'BADVERSION') return again;
      return { election: { step: 'verifyController', newEpoch: election.newEpoch }, call: READ_CONTROLLER };
    }
    case 'verifyController': {
      // Gone meanwhile (`ControllerMovedException` in Kafka): the election runs again.
      if (response.errorCode !== 'OK') return again;
      const controllerId = controllerIdOf(response.data);
      if (controllerId !== brokerId) return { election: { step: 'notElected', controllerId }, call: null };
      return { election: { step: 'verifyEpoch', newEpoch: election.newEpoch }, call: READ_EPOCH };
    }
    case 'verifyEpoch':
      if (response.errorCode === 'OK' && response.stat !== undefined && Number(response.data) === election.newEpoch) {
        return { election: { step: 'elected', epoch: election.newEpoch, epochZkVersion: response.stat.version }, call: null };
      }
      return again;
    case 'elected':
    case 'notElected':
      return { election, call: null };
  }
}

function register(newEpoch: number, epochZkVersion: number, brokerId: number, nowMs: number): ElectionStep {
  const data: ControllerZNodeData = { version: 2, brokerid: brokerId, timestamp: String(Math.floor(nowMs)) };
  return {
    election: { step: 'register', newEpoch },
    call: {
      type: 'zk.multi.request',
      ops: [
        { op: 'create', path: CONTROLLER_PATH, data, ephemeral: true },
        { op: 'setData', path: CONTROLLER_EPOCH_PATH, data: newEpoch, version: epochZkVersion },
      ],
    },
  };
}

function controllerIdOf(data: unknown): number {
  const brokerid = (data as Partial<ControllerZNodeData> | null)?.brokerid;
  return typeof brokerid === 'number' ? brokerid : -1;
}
