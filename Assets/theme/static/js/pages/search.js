// Search on a kiosk with no keyboard: an on-screen keyboard in Latin and Arabic letters,
// results from the server's search as the visitor types, in time order, with a count.

import { el, onPress } from "../panel.js";

const LAYOUTS = {
  latin: [
    "1234567890".split(""),
    "qwertyuiop".split(""),
    "asdfghjkl".split(""),
    "zxcvbnm".split(""),
  ],
  arabic: [
    "١٢٣٤٥٦٧٨٩٠".split(""),
    "ضصثقفغعهخحجد".split(""),
    "شسيبلاتنمكط".split(""),
    "ئءؤرىةوزظذأإآ".split(""),
  ],
};

export function searchPage(fmt, overview) {
  const form = document.querySelector("form[role=search]");
  const input = form.querySelector("input[type=search]");
  const results = document.querySelector(".results");
  document.body.classList.add("search-page");
  // No system keyboard pops up over the page: the kiosk brings its own.
  input.setAttribute("inputmode", "none");
  const count = el("p", "results-count", null);
  count.setAttribute("aria-live", "polite");
  (document.getElementById("results-heading") || results).after(count);

  const board = el("div", "keyboard", null);
  board.setAttribute("role", "group");
  board.setAttribute("aria-label", fmt.t.keyboard || "Keyboard");
  // Below the results and pinned to the bottom of the screen, where a standing visitor's
  // hands are; the results scroll between the field and the keys.
  results.after(board);
  let layout = overview.dir === "rtl" ? "arabic" : "latin";

  const type = (text) => {
    input.value = (input.value + text).slice(0, Number(input.maxLength) > 0 ? input.maxLength : 100);
    changed();
  };
  const draw = () => {
    board.replaceChildren();
    board.dataset.layout = layout;
    board.dir = layout === "arabic" ? "rtl" : "ltr";
    for (const row of LAYOUTS[layout]) {
      const line = el("div", "key-row", board);
      for (const key of row) {
        const b = el("button", "key", line);
        b.type = "button";
        b.textContent = key;
        onPress(b, () => type(key));
      }
    }
    const last = el("div", "key-row", board);
    const special = (text, label, cls, action) => {
      const b = el("button", "key " + cls, last);
      b.type = "button";
      b.textContent = text;
      if (label) b.setAttribute("aria-label", label);
      onPress(b, action);
      return b;
    };
    const other = layout === "arabic" ? "latin" : "arabic";
    const sw = special(other === "arabic" ? "أ ب ت" : "A B C", null, "switch", () => { layout = other; draw(); });
    sw.lang = other === "arabic" ? "ar" : "en";
    special(fmt.t.space || "Space", null, "space", () => type(" "));
    special("⌫", fmt.t.delete || "Delete", "delete", () => { input.value = input.value.slice(0, -1); changed(); });
    special(fmt.t.clear || "Clear", null, "clear", () => { input.value = ""; changed(); });
  };
  draw();

  let timer = 0, serial = 0;
  const changed = () => { clearTimeout(timer); timer = setTimeout(run, 250); };
  input.addEventListener("input", changed);
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });

  async function run() {
    const q = input.value.trim();
    const url = new URL(location.href);
    url.searchParams.set("q", q);
    history.replaceState(null, "", url.pathname + url.search);
    const mine = ++serial;
    if (!q) { results.replaceChildren(); count.textContent = ""; return; }
    const response = await fetch(overview.search + "&q=" + encodeURIComponent(q), { credentials: "same-origin" });
    if (mine !== serial || !response.ok) return;
    // Each result is an event exactly as /api/events gives it: texts per language.
    const lang = document.documentElement.lang;
    const found = (await response.json()).results || [];
    const when = (r) => (r.sort || r.start).date;
    found.sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0));
    count.textContent = fmt.count(found.length, "results_count", "result_one");
    results.replaceChildren(...found.map((r) => {
      const card = el("article", "card");
      const a = el("a", "", card);
      a.href = r.url[lang];
      const h = el("h3", "", a);
      const time = el("time", "", h);
      time.textContent = r.date[lang];
      h.append(" ");
      el("span", "title", h).textContent = r.title[lang];
      el("p", "", card).textContent = r.summary[lang];
      return card;
    }));
  }
  if (input.value) changed();
}
