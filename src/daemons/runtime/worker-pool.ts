/**
 * WorkerPool: libvirt's per-server thread pool, as execution slots (docs/architecture.md:
 * Node has no threads to count). A call holds a slot from dispatch until its
 * reply is written. The counters the admin program reports are these real
 * numbers.
 *
 * - nWorkers starts at minWorkers and grows by one when a job arrives, none
 *   is free and nWorkers < maxWorkers; lowering minWorkers never retires
 *   workers; lowering maxWorkers retires idle excess at once and busy excess
 *   when its job ends.
 * - priority workers run only high-priority jobs, and only when every normal
 *   worker is busy.
 * - maxWorkers 0: jobs run inline on the event loop (virtlogd's model).
 */
export type Job = () => Promise<void>;

interface Queued {
  job: Job;
  priority: boolean;
}

export interface WorkerPoolLimits {
  minWorkers: number;
  maxWorkers: number;
  prioWorkers: number;
}

export interface WorkerPoolStats extends WorkerPoolLimits {
  nWorkers: number;
  freeWorkers: number;
  jobQueueDepth: number;
}

export class WorkerPool {
  #min: number;
  #max: number;
  #prio: number;
  #workers: number;
  #busy = 0;
  #prioBusy = 0;
  #queue: Queued[] = [];

  constructor(limits: WorkerPoolLimits) {
    this.#min = limits.minWorkers;
    this.#max = limits.maxWorkers;
    this.#prio = limits.prioWorkers;
    this.#workers = this.#max === 0 ? 0 : Math.min(this.#min, this.#max);
  }

  stats(): WorkerPoolStats {
    return {
      minWorkers: this.#min,
      maxWorkers: this.#max,
      prioWorkers: this.#prio,
      nWorkers: this.#workers,
      freeWorkers: Math.max(0, this.#workers - this.#busy),
      jobQueueDepth: this.#queue.length,
    };
  }

  /** Applies limits already validated by the caller (admin §3.2 rules 4 and 5). */
  setLimits(limits: Partial<WorkerPoolLimits>): void {
    if (limits.minWorkers !== undefined) this.#min = limits.minWorkers;
    if (limits.maxWorkers !== undefined) this.#max = limits.maxWorkers;
    if (limits.prioWorkers !== undefined) this.#prio = limits.prioWorkers;
    // Raising the minimum spawns workers at once (edge_tp: nWorkers 5 -> 12).
    if (this.#max > 0 && this.#workers < this.#min) this.#workers = Math.min(this.#min, this.#max);
    this.#retireExcess();
    this.#drain();
  }

  /** Runs the job now if a worker is free, else queues it. */
  submit(job: Job, priority = false): void {
    if (this.#max === 0) {
      void this.#runInline(job);
      return;
    }
    this.#queue.push({ job, priority });
    this.#drain();
  }

  async #runInline(job: Job): Promise<void> {
    try {
      await job();
    } catch {
      // Jobs report their own failures; the pool only counts.
    }
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      if (this.#busy < this.#workers || (this.#workers < this.#max && ++this.#workers)) {
        this.#start(this.#queue.shift()!, false);
        continue;
      }
      // Every normal worker is busy: a free priority worker takes the first priority job.
      const at = this.#prioBusy < this.#prio ? this.#queue.findIndex((q) => q.priority) : -1;
      if (at === -1) return;
      this.#start(this.#queue.splice(at, 1)[0]!, true);
    }
  }

  /** Idle workers above maxWorkers quit; busy ones finish their job first. */
  #retireExcess(): void {
    if (this.#workers > this.#max) this.#workers = Math.max(this.#max, this.#busy);
  }

  #start(item: Queued, onPriorityWorker: boolean): void {
    if (onPriorityWorker) this.#prioBusy++;
    else this.#busy++;
    item
      .job()
      .catch(() => {})
      .finally(() => {
        if (onPriorityWorker) this.#prioBusy--;
        else {
          this.#busy--;
          this.#retireExcess();
        }
        this.#drain();
      });
  }
}
