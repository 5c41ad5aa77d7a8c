// An event full screen over the axis: its page's article (rendered at build time), a large
// close target, and previous/next by swipe, buttons or arrow keys. The URL follows, so a
// deep link (/LANG/events/ID) opens in this state and Back closes it.

import { el, onPress, pushLayer, popLayer } from "./panel.js";
import { players } from "./media.js";

const SWIPE = 70; // px a finger must travel sideways to turn the page

export class EventView {
  constructor(fmt, { onShow, onClose, reducedMotion, homeURL }) {
    this.fmt = fmt;
    this.onShow = onShow;
    this.onClose = onClose;
    this.reducedMotion = reducedMotion;
    this.homeURL = homeURL;
    this.rtl = document.documentElement.dir === "rtl";
    const t = fmt.t;
    this.root = el("div", "event-view", document.body);
    this.root.hidden = true;
    this.root.setAttribute("role", "dialog");
    this.root.setAttribute("aria-modal", "true");
    this.root.tabIndex = -1;
    this.scroller = el("div", "event-scroll", this.root);
    this.close = el("button", "view-close", this.root);
    this.close.type = "button";
    this.close.textContent = "×";
    this.close.setAttribute("aria-label", t.close || "Close");
    onPress(this.close, () => this.dismiss());
    // The same glyphs in both directions: right to left, the browser mirrors them.
    this.prev = this.arrow("view-prev", t.previous || "Earlier", "‹", -1);
    this.next = this.arrow("view-next", t.next || "Later", "›", 1);
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); this.dismiss(); }
      const forward = this.rtl ? "ArrowLeft" : "ArrowRight", back = this.rtl ? "ArrowRight" : "ArrowLeft";
      if (event.key === forward && !event.target.closest("input")) { event.preventDefault(); this.step(1); }
      if (event.key === back && !event.target.closest("input")) { event.preventDefault(); this.step(-1); }
    });
    this.root.addEventListener("contextmenu", (event) => event.preventDefault());
    this.watchSwipes();
    window.addEventListener("popstate", (event) => {
      const state = event.state;
      if (state && state.event) this.open(state.event, { push: false });
      else if (!this.root.hidden) this.hide();
    });
  }

  arrow(cls, label, text, direction) {
    const b = el("button", "view-step " + cls, this.root);
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    onPress(b, () => this.step(direction));
    return b;
  }

  /** One swipe per touch, however many fingers: only the primary pointer counts. */
  watchSwipes() {
    let start = null, done = false;
    this.root.addEventListener("pointerdown", (event) => {
      if (event.isPrimary) { start = { x: event.clientX, y: event.clientY }; done = false; }
    });
    this.root.addEventListener("pointermove", (event) => {
      if (!event.isPrimary || !start || done) return;
      const dx = event.clientX - start.x, dy = event.clientY - start.y;
      if (Math.abs(dx) > SWIPE && Math.abs(dx) > 1.5 * Math.abs(dy)) {
        done = true;
        // A finger moving towards the start of the line brings the next event.
        const towardsStart = this.rtl ? dx > 0 : dx < 0;
        this.step(towardsStart ? 1 : -1);
      }
    });
    // A sideways swipe is ours: the browser must not turn it into "back" or "forward"
    // (touch-action alone does not stop Chromium's history swipe).
    let touch0 = null;
    this.root.addEventListener("touchstart", (event) => {
      touch0 = event.touches.length === 1 ? [event.touches[0].clientX, event.touches[0].clientY] : touch0;
    }, { passive: true });
    this.root.addEventListener("touchmove", (event) => {
      if (!touch0 || !event.cancelable) return;
      const t = event.touches[0];
      if (Math.abs(t.clientX - touch0[0]) > Math.abs(t.clientY - touch0[1])) event.preventDefault();
    }, { passive: false });
    const end = (event) => { if (event.isPrimary) start = null; };
    this.root.addEventListener("pointerup", end);
    this.root.addEventListener("pointercancel", end);
  }

  /** Shows an article already in the page (a deep link), without fetching it. */
  adopt(article, url) {
    this.url = url;
    this.show(article, false);
    history.replaceState({ event: url }, "", url);
  }

  async open(url, { push = true } = {}) {
    const token = (this.token = (this.token || 0) + 1);
    let article;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(url + ": " + response.status);
      const html = await response.text();
      article = new DOMParser().parseFromString(html, "text/html").querySelector("article.event");
      if (!article) throw new Error(url + ": no article");
    } catch (error) {
      // Without the article, fall back to the page itself.
      location.href = url;
      return;
    }
    if (token !== this.token) return;
    const wasOpen = !this.root.hidden;
    this.url = url;
    this.show(document.adoptNode(article), wasOpen);
    if (push) history[wasOpen ? "replaceState" : "pushState"]({ event: url }, "", url);
    else history.replaceState({ event: url }, "", url);
  }

  show(article, turning) {
    article.removeAttribute("hidden");
    const heading = article.querySelector("h1");
    if (heading) { heading.id = "event-view-title"; this.root.setAttribute("aria-labelledby", heading.id); }
    this.scroller.replaceChildren(article);
    players(article, this.fmt);
    this.scroller.scrollTop = 0;
    this.links = {
      prev: article.querySelector(".sequence a[rel=prev]"),
      next: article.querySelector(".sequence a[rel=next]"),
    };
    this.prev.hidden = !this.links.prev;
    this.next.hidden = !this.links.next;
    const wasHidden = this.root.hidden;
    this.root.hidden = false;
    pushLayer(this.root);
    document.body.classList.add("viewing");
    if (turning && !this.reducedMotion()) {
      this.scroller.classList.remove("turn");
      void this.scroller.offsetWidth;
      this.scroller.classList.add("turn");
    }
    if (wasHidden) this.lastFocus = document.activeElement;
    // Focus goes to the view itself (a screen reader announces it), not to the close
    // button, whose focus ring would greet every visitor who taps a card.
    this.root.focus({ preventScroll: true });
    const id = (this.url.match(/\/events\/([^/?#]+)/) || [])[1];
    this.onShow && this.onShow(id ? decodeURIComponent(id) : null, article);
  }

  step(direction) {
    const link = direction > 0 ? this.links && this.links.next : this.links && this.links.prev;
    if (link) this.open(link.getAttribute("href"));
  }

  dismiss() {
    this.hide();
    history.pushState(null, "", this.homeURL);
  }

  hide() {
    this.token = (this.token || 0) + 1;
    this.root.hidden = true;
    popLayer(this.root);
    document.body.classList.remove("viewing");
    this.scroller.replaceChildren();
    const id = (this.url && this.url.match(/\/events\/([^/?#]+)/) || [])[1];
    this.onClose && this.onClose(id ? decodeURIComponent(id) : null);
    if (this.lastFocus && document.contains(this.lastFocus)) this.lastFocus.focus({ preventScroll: true });
  }

  get isOpen() { return !this.root.hidden; }
}
