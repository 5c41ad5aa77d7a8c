// Filters: eras, themes, places and people as large chips. Within a group any chosen chip
// matches; across groups all must. Events that do not match leave the axis.

import { el, onPress, pushLayer, popLayer, dialog, closeButton } from "./panel.js";

const GROUPS = [
  ["eras", "eras"], ["themes", "themes"], ["places", "places"], ["people", "people"],
];

export class Filters {
  constructor(overview, fmt, button, onChange) {
    this.fmt = fmt;
    this.onChange = onChange;
    this.button = button;
    this.chosen = { eras: new Set(), themes: new Set(), places: new Set(), people: new Set() };
    const t = fmt.t;
    const { layer: panel, holder: head } = dialog("panel filters-panel", t.filters || "Filters", "dialog",
      (p) => el("div", "panel-head", p));
    this.panel = panel;
    panel.hidden = true;
    this.summary = el("p", "filters-count", head);
    this.summary.setAttribute("aria-live", "polite");
    const clear = el("button", "chip clear", head);
    clear.type = "button";
    clear.textContent = t.show_all || "Show all";
    onPress(clear, () => this.clear());
    closeButton(head, t.close || "Close", () => this.toggle(false));
    const body = el("div", "panel-body", panel);
    for (const [key, label] of GROUPS) {
      const list = key === "eras" ? overview.eras : overview[key];
      if (!list || !list.length) continue;
      const section = el("section", "chip-group", body);
      const h = el("h3", "", section);
      h.textContent = t[label] || label;
      const ul = el("ul", "chips", section);
      for (const item of list) {
        const li = el("li", "", ul);
        const chip = el("button", "chip" + (key === "eras" ? " era-" + item.id : ""), li);
        chip.type = "button";
        chip.textContent = item.name;
        chip.setAttribute("aria-pressed", "false");
        chip.dataset.group = key;
        chip.dataset.id = item.id;
        onPress(chip, () => this.flip(chip));
      }
    }
    panel.addEventListener("keydown", (event) => { if (event.key === "Escape") this.toggle(false); });
    onPress(button, () => this.toggle(this.panel.hidden));
  }

  toggle(open) {
    this.panel.hidden = !open;
    if (open) pushLayer(this.panel); else popLayer(this.panel);
    this.button.setAttribute("aria-expanded", String(open));
    if (open) this.panel.querySelector(".panel-close").focus();
    else this.button.focus({ preventScroll: true });
  }

  flip(chip) {
    const set = this.chosen[chip.dataset.group];
    const on = !set.has(chip.dataset.id);
    if (on) set.add(chip.dataset.id); else set.delete(chip.dataset.id);
    chip.setAttribute("aria-pressed", String(on));
    this.changed();
  }

  clear() {
    for (const set of Object.values(this.chosen)) set.clear();
    for (const chip of this.panel.querySelectorAll("[aria-pressed=true]")) chip.setAttribute("aria-pressed", "false");
    this.changed();
  }

  get active() {
    return Object.values(this.chosen).some((set) => set.size > 0);
  }

  /** The predicate for the axis, or null when nothing is chosen. */
  predicate() {
    if (!this.active) return null;
    const chosen = this.chosen;
    return (event) => GROUPS.every(([key]) => chosen[key].size === 0 || event[key].some((id) => chosen[key].has(id)));
  }

  changed() {
    this.button.classList.toggle("active", this.active);
    this.onChange(this.predicate());
  }

  /** Shows how many events the filters leave, once the axis has counted them. */
  showCount(shown, total) {
    this.summary.textContent = this.active ? this.fmt.count(shown) : this.fmt.count(total);
  }
}
