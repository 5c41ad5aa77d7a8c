// The timeline's data from the server: the overview once, each year's events when the
// year comes into view. Every request goes to the page's own origin.

export class TimelineData {
  constructor(url) {
    this.url = url;
    this.overview = null;
    this.years = new Map(); // year -> events (array) once loaded
    this.pending = new Map(); // year -> promise
  }

  async load() {
    const response = await fetch(this.url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(this.url + ": " + response.status);
    const overview = await response.json();
    // `[year, count]` pairs on the wire; objects here.
    overview.years = overview.years.map(([year, count]) => ({ year, count, url: overview.year_url.replace("{year}", year) }));
    // The first years come with the overview, so the first screen needs nothing more.
    for (const [year, events] of overview.initial || []) this.years.set(year, events);
    delete overview.initial;
    this.overview = overview;
    this.yearInfo = new Map(overview.years.map((y) => [y.year, y]));
    return this.overview;
  }

  /** Loads the given years (those not loaded yet); resolves when all have arrived. */
  fetchYears(years) {
    const waits = [];
    for (const year of years) {
      if (this.years.has(year)) continue;
      const info = this.yearInfo.get(year);
      if (!info) continue;
      if (!this.pending.has(year)) {
        this.pending.set(year, fetch(info.url, { credentials: "same-origin" })
          .then((r) => (r.ok ? r.json() : Promise.reject(new Error(info.url + ": " + r.status))))
          .then((events) => { this.years.set(year, events); this.pending.delete(year); })
          .catch((error) => { this.pending.delete(year); console.warn(error); }));
      }
      waits.push(this.pending.get(year));
    }
    return Promise.all(waits);
  }

  /** Every loaded event, in time order. */
  loadedEvents() {
    const all = [];
    for (const year of [...this.years.keys()].sort((a, b) => a - b)) all.push(...this.years.get(year));
    return all;
  }

  /** Years loaded completely, in order: all of them once the whole exhibit is in. */
  allLoaded() {
    return this.years.size === this.overview.years.length;
  }
}
