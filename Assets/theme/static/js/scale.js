// The time scale: which days the axis shows and where each day is on screen.
// Pure arithmetic, no DOM: the gestures and the renderer share it.

const MIN_SPAN = 45; // days: zoomed in as far as months

export class TimeScale {
  /** `min`/`max`: the first and last day the axis may show; `rtl`: time runs right to left. */
  constructor(min, max, rtl) {
    this.min = min;
    this.max = max;
    this.rtl = rtl;
    this.width = 1;
    this.start = min;
    this.span = max - min;
  }

  get maxSpan() { return Math.max(this.max - this.min, MIN_SPAN); }
  get minSpan() { return Math.min(MIN_SPAN, this.maxSpan); }
  get end() { return this.start + this.span; }
  /** Pixels per day. */
  get ppd() { return this.width / this.span; }

  /** Screen x of a day. */
  x(day) {
    const offset = (day - this.start) * this.ppd;
    return this.rtl ? this.width - offset : offset;
  }

  /** Day at screen x. */
  day(x) {
    return this.start + (this.rtl ? this.width - x : x) / this.ppd;
  }

  /** Moves the view by a finger's movement of `dx` pixels. */
  panBy(dx) {
    this.start -= (this.rtl ? -dx : dx) / this.ppd;
    this.clamp();
  }

  /** Zooms by `factor` (>1 zooms in) keeping the day under screen x where it is. */
  zoomAt(x, factor) {
    const day = this.day(x);
    this.span = Math.min(this.maxSpan, Math.max(this.minSpan, this.span / factor));
    const along = this.rtl ? this.width - x : x;
    this.start = day - along / this.ppd;
    this.clamp();
  }

  /** Shows `from`…`to` with a margin on each side. */
  fit(from, to, margin = 0.1) {
    const span = Math.max(to - from, 1);
    this.span = Math.min(this.maxSpan, Math.max(this.minSpan, span * (1 + 2 * margin)));
    this.start = (from + to) / 2 - this.span / 2;
    this.clamp();
  }

  /** Centres `day` at the current zoom. */
  centre(day) {
    this.start = day - this.span / 2;
    this.clamp();
  }

  /** Never lets the view leave the exhibit, whatever the gesture did. */
  clamp() {
    if (!(this.span > 0)) this.span = this.maxSpan;
    this.span = Math.min(this.maxSpan, Math.max(this.minSpan, this.span));
    this.start = Math.min(Math.max(this.start, this.min), this.max - this.span);
    if (this.max - this.min < this.span) this.start = (this.min + this.max - this.span) / 2;
  }
}
