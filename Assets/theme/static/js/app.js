// Kiosk Timeline in the browser. Every page works without this file; with it, the home
// and event pages become the touch timeline, every page gets the idle reset, and the
// search and places pages get their touch tools. One module per concern, loaded as ES
// modules from the snapshot (no inline script: the server's CSP forbids it).

import { formatter, dayOf } from "./format.js";
import { TimelineData } from "./data.js";
import { Axis } from "./axis.js";
import { EventView } from "./eventview.js";
import { Filters } from "./filters.js";
import { Idle, Attract } from "./idle.js";
import { textSize } from "./textsize.js";
import { el, openPanel } from "./panel.js";

const motion = matchMedia("(prefers-reduced-motion: reduce)");
const reducedMotion = () => motion.matches;


// The page itself never zooms (the time scale does): no Ctrl+wheel, Ctrl+plus, Safari
// gesture or double-tap zoom, no long-press menu outside text fields.
window.addEventListener("wheel", (event) => { if (event.ctrlKey) event.preventDefault(); }, { passive: false });
window.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && ["+", "-", "=", "0"].includes(event.key)) event.preventDefault();
});
document.addEventListener("gesturestart", (event) => event.preventDefault());
document.addEventListener("dblclick", (event) => event.preventDefault());
document.addEventListener("contextmenu", (event) => {
  if (!event.target.closest("input, textarea")) event.preventDefault();
});

/** A button in the bar's tool list, before the language link. */
function tool(text, label, cls) {
  const list = document.querySelector(".bar .tools ul");
  const li = el("li", "");
  const button = el("button", "tool " + cls, li);
  button.type = "button";
  button.textContent = text;
  if (label !== text) button.setAttribute("aria-label", label);
  const language = list.querySelector(".language");
  list.insertBefore(li, language ? language.parentElement : null);
  return button;
}

/** Language links follow the URL, so switching keeps the event that is open. */
function syncLanguageLinks(lang) {
  for (const link of document.querySelectorAll(".bar a.language")) {
    const other = link.getAttribute("hreflang");
    link.href = location.pathname.replace(new RegExp("^/" + lang + "/"), "/" + other + "/");
  }
}

function listPanel(fmt, events, open) {
  const { body, close } = openPanel(fmt.count(events.length), fmt.t.close || "Close", "list-panel");
  const ul = el("ul", "panel-list", body);
  for (const event of events) {
    const a = el("a", "axis-card" + (event.eras[0] ? " era-" + event.eras[0] : ""), el("li", "", ul));
    a.href = event.url;
    el("span", "date", a).textContent = event.date;
    el("span", "title", a).textContent = event.title;
    a.addEventListener("click", (e) => { e.preventDefault(); close(); open(event); });
  }
}

function dayOfArticle(article) {
  const time = article && article.querySelector("time[datetime]");
  const m = time && time.getAttribute("datetime").match(/^(-?\d+)(?:-(\d\d))?(?:-(\d\d))?/);
  return m ? { year: Number(m[1]), month: Number(m[2] || 1), day: Number(m[3] || 1) } : null;
}

async function timeline(stage, data, fmt, idle) {
  const overview = data.overview;
  const home = (overview.languages.find((l) => l.code === overview.lang) || {}).home || "/";
  let view;
  const axis = new Axis(stage, data, fmt, {
    onOpen: (event) => view.open(event.url),
    onList: (events) => listPanel(fmt, events, (event) => view.open(event.url)),
    reducedMotion,
  });
  view = new EventView(fmt, {
    homeURL: home,
    reducedMotion,
    onShow: (id, article) => {
      syncLanguageLinks(overview.lang);
      const date = dayOfArticle(article);
      if (date) axis.showEvent(id, dayOf(date.year < 0 ? date.year + 1 : date.year, date.month, date.day), false);
    },
    onClose: (id) => { syncLanguageLinks(overview.lang); axis.feature(id); },
  });
  const article = document.querySelector("main article.event");
  if (article) view.adopt(article, location.pathname);

  const filters = new Filters(overview, fmt, tool(fmt.t.filters || "Filters", fmt.t.filters || "Filters", "filters"),
    (predicate) => {
      axis.setFilter(predicate);
      // A filter asks about every event: fetch the years not loaded yet.
      const apply = () => {
        axis.setFilter(filters.predicate());
        const events = data.loadedEvents();
        const shown = predicate ? events.filter(predicate).length : overview.events;
        filters.showCount(shown, overview.events);
      };
      if (predicate && !data.allLoaded()) data.fetchYears(overview.years.map((y) => y.year)).then(apply);
      apply();
    });
  filters.showCount(overview.events, overview.events);

  axis.render(true);
  performance.mark("kt-rendered");
  await axis.loadVisible();
  stage.dataset.ready = "1";

  if (Idle.takeAttract() && overview.highlights.length) {
    const attract = new Attract(fmt, {
      reducedMotion,
      tour: async (i) => {
        const [id, year] = overview.highlights[i];
        await data.fetchYears([Number(year)]);
        const event = (data.years.get(Number(year)) || []).find((e) => e.id === id);
        if (event) axis.showEvent(id, event.at, !reducedMotion());
      },
      stop: () => { axis.feature(null); idle.activity(); },
    });
    idle.pause();
    attract.start(overview.highlights.length);
  }
}

async function main() {
  performance.mark("kt-main");
  const body = document.body;
  document.documentElement.classList.add("js");
  const data = new TimelineData(body.dataset.timeline);
  const overview = await data.load();
  performance.mark("kt-data");
  const fmt = formatter(overview);
  const larger = tool("A+", fmt.t.text_size || "Larger text", "text-size");
  larger.dir = "ltr"; // "A+" reads the same in every language
  textSize(larger);
  const idle = new Idle(fmt);

  let stage = document.getElementById("stage");
  const article = document.querySelector("main article.event");
  if (!stage && article) {
    stage = el("div", "stage");
    stage.id = "stage";
    document.getElementById("main").prepend(stage);
    body.classList.add("event-page");
  }
  if (stage) { body.classList.add("app"); await timeline(stage, data, fmt, idle); }
  else if (document.querySelector("form[role=search]")) (await import("./pages/search.js")).searchPage(fmt, overview);
  else if (document.querySelector(".map-frame .pin")) (await import("./pages/map.js")).mapPage(fmt);
}

main().catch((error) => console.error(error));
