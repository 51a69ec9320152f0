// Kafka's reader client (a consumer in assign mode, no group) and the pure rules it runs on.
export { readerMachine } from './readerMachine.ts';
export type { ReaderContext, ReaderEvent, ReaderInput } from './readerMachine.ts';
export { readerConfigNames, readerDefaults } from './readerDefaults.ts';
export type { ReaderSettings } from './readerDefaults.ts';
export { resolveReaderConfig } from './readerConfig.ts';
export type { ReaderConfig, ReaderOptions } from './readerConfig.ts';
export { readerPartition } from './ReaderPartition.ts';
export type { ReaderPartition } from './ReaderPartition.ts';
export { metadataTopics, resolveAssignment } from './readerAssignment.ts';
export { isCurrentLeader, knownLeader, updatePartitionLeaders } from './partitionLeaders.ts';
export type { PartitionLeader, PartitionLeaders } from './partitionLeaders.ts';
export { advancePosition, positionOf, positionsAtBeginning, resetPosition } from './fetchPositions.ts';
export type { FetchPositions } from './fetchPositions.ts';
export { fetchedRecords } from './fetchedRecords.ts';
export type { FetchedRecords } from './fetchedRecords.ts';
export { partitionErrorHandling } from './fetchErrors.ts';
export type { PartitionErrorHandling } from './fetchErrors.ts';
export {
  applyFetchResponse,
  applyListOffsetsResponse,
  isRoundCaughtUp,
  isRoundComplete,
  pendingFor,
  planPoll,
  roundRecords,
} from './pollRound.ts';
export type {
  AnswerInput,
  AnswerOutcome,
  ConsumptionState,
  OutgoingRequest,
  PendingRequest,
  PollPlan,
  PollPlanInput,
  PollRound,
} from './pollRound.ts';
export { beginReadToEnd, isReadToEndDone } from './readToEnd.ts';
export type { ReadToEnd, ReadToEndDoneNote } from './readToEnd.ts';
export { assignNotes, pollInvokeNote, pollOkNote, readToEndDoneNote } from './readerNotes.ts';
export type { NoteEvent } from './readerNotes.ts';
