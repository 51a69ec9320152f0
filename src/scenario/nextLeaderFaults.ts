import type { LeaderNote } from '../checker/ClusterSample.ts';
import type { Fault } from '../faults/Fault.ts';
import { topicPartitionKey } from '../protocol/messages.ts';

/** A crash, power loss, shutdown or pause that names `next-leader:<key>`. */
type NodeFault = Extract<Fault, { node: string }>;

/**
 * The faults that wait for a partition's next leader (`next-leader:<topic>-<p>`, faultTargets.ts). The runner arms
 * each when its time comes; every broker's step as a partition's leader (its `leader` note) is shown here, and the
 * first one with a leader epoch above the one in force when the fault was armed fires it, in arming order, while
 * that broker is still in the step that made it leader: its followers have not heard of the change yet.
 */
export class NextLeaderFaults {
  /** The highest leader epoch a broker has led each partition with so far. */
  private readonly epochs = new Map<string, number>();
  private armed: Array<{ fault: NodeFault; key: string; aboveEpoch: number }> = [];

  constructor(private readonly fire: (fault: NodeFault, broker: number) => void) {}

  /** The fault's time has come: it waits for the partition's next leader. */
  arm(fault: NodeFault, key: string): void {
    this.armed.push({ fault, key, aboveEpoch: this.epochs.get(key) ?? -1 });
  }

  /** A broker took (or kept, with a new partition epoch) a partition's leadership. */
  observeLeader(note: LeaderNote): void {
    const key = topicPartitionKey(note.topic, note.partition);
    if (note.leaderEpoch > (this.epochs.get(key) ?? -1)) this.epochs.set(key, note.leaderEpoch);
    if (this.armed.length === 0) return;
    const due = this.armed.filter((armed) => armed.key === key && note.leaderEpoch > armed.aboveEpoch);
    if (due.length === 0) return;
    this.armed = this.armed.filter((armed) => !due.includes(armed));
    for (const { fault } of due) this.fire(fault, note.broker);
  }

  /** The safety phase is over: the faults still waiting never apply (returned in arming order). */
  disarm(): NodeFault[] {
    const waiting = this.armed.map((armed) => armed.fault);
    this.armed = [];
    return waiting;
  }
}
