import type { MetadataImage, MetadataRecord } from './metadataImage.ts';

/**
 * A controller operation's outcome (Kafka's `ControllerResult`): the records it appends to the metadata log, the
 * image those records produce, and the response to the request. The machine persists `records` and answers with
 * `response`; the records are applied atomically, all or none.
 */
export interface ControllerResult<R> {
  readonly image: MetadataImage;
  readonly records: readonly MetadataRecord[];
  readonly response: R;
}
