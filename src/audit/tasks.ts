/**
 * The tasks of one run (the audit's lister and workers, the bulk-feedback run's reader, lookups and senders) and
 * how the run stops. Each task gets its own abort signal, aborted with the run, so that no one signal collects a
 * listener per task (runtimes warn past ten). A task's first real failure stops the run; the consumer then throws it.
 *
 * Web-standard globals only.
 */

/** Thrown inside a run's tasks once the run stops; never seen by callers. */
export class Stopped extends Error {}

/** What a task throws because the run stopped, rather than because something failed. */
function isStopping(error: unknown): boolean {
  return error instanceof Stopped || (error instanceof Error && error.name === "AbortError");
}

/**
 * @example
 * const tasks = new RunTasks(() => queue.wake());
 * const done = tasks.run(async (signal) => { await work(signal); tasks.ensureRunning(); });
 * if (tasks.failure !== undefined) throw tasks.failure;
 */
export class RunTasks {
  readonly #stop = new AbortController();
  readonly #controllers = new Set<AbortController>();
  readonly #onStop: () => void;
  #failure: unknown;

  /** `onStop` wakes whatever the tasks and the consumer wait on, so that they see the run has stopped. */
  constructor(onStop: () => void) {
    this.#onStop = onStop;
  }

  /** The error that stopped the run, once one has (`undefined` after a plain {@link RunTasks.stop}). */
  get failure(): unknown {
    return this.#failure;
  }

  /** Throws {@link Stopped} once the run has stopped: tasks call it after every wait. */
  readonly ensureRunning = (): void => {
    if (this.#stop.signal.aborted) throw new Stopped("stopped");
  };

  /** Runs a task with its own abort signal; its failure (other than the stop's own) stops the run. */
  async run(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    this.#controllers.add(controller);
    if (this.#stop.signal.aborted) controller.abort(this.#stop.signal.reason);
    try {
      await task(controller.signal);
    } catch (error) {
      if (!this.#stop.signal.aborted || !isStopping(error)) this.halt(error);
    } finally {
      this.#controllers.delete(controller);
    }
  }

  /** Stops the run with a failure; the first one is kept. */
  halt(reason: unknown): void {
    if (this.#failure === undefined) this.#failure = reason;
    this.stop(reason);
  }

  /** Stops the run: every task's signal is aborted with `reason`. */
  stop(reason: unknown): void {
    if (!this.#stop.signal.aborted) this.#stop.abort(reason);
    for (const controller of this.#controllers) if (!controller.signal.aborted) controller.abort(reason);
    this.#onStop();
  }
}
