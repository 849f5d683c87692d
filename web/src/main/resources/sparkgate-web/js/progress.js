// The Spark jobs of one statement, as bars that move while tasks complete. Each 'progress' event carries every
// job of the statement; bars are updated in place so their width animates rather than jumps.

import { h } from './dom.js';

export class JobProgress {
  #bars = new Map();

  constructor() {
    this.element = h('div', { class: 'jobs', hidden: true, role: 'group', 'aria-label': 'Spark jobs' });
  }

  update(progress) {
    for (const job of progress.jobs ?? []) this.#bar(job.jobId).update(job);
    this.element.hidden = this.#bars.size === 0;
  }

  /** The statement ended: bars of jobs that never finished stop looking busy. */
  settle(outcome) {
    this.element.dataset.outcome = outcome;
  }

  #bar(jobId) {
    let bar = this.#bars.get(jobId);
    if (!bar) {
      bar = new JobBar(jobId);
      this.#bars.set(jobId, bar);
      this.element.append(bar.element);
    }
    return bar;
  }
}

class JobBar {
  constructor(jobId) {
    this.done = h('span', { class: 'bar-done' });
    this.active = h('span', { class: 'bar-active' });
    this.track = h('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 },
      this.done, this.active);
    this.label = h('span', { class: 'job-tasks' });
    this.element = h('div', { class: 'job', dataset: { job: String(jobId) } },
      h('span', { class: 'job-name' }, `Job ${jobId}`), this.track, this.label);
  }

  update(job) {
    const total = Math.max(job.numTasks, 1);
    const done = (100 * job.completedTasks) / total;
    const active = (100 * Math.min(job.activeTasks, job.numTasks - job.completedTasks)) / total;
    this.done.style.width = `${done}%`;
    this.active.style.width = `${active}%`;
    this.track.setAttribute('aria-valuenow', String(Math.round(done)));
    this.element.dataset.status = job.status.toLowerCase();
    const stages = job.numStages > 1 ? ` · stage ${Math.min(job.completedStages + 1, job.numStages)}/${job.numStages}` : '';
    const failed = job.failedTasks > 0 ? ` · ${job.failedTasks} failed` : '';
    this.label.textContent = `${job.completedTasks}/${job.numTasks} tasks${stages}${failed}`;
  }
}
