// Referral Community: a challenge's countdown ticks down in place.
// <time datetime="…Z" data-countdown data-now="…Z" data-pattern="%(time)s left" data-done="…"
//   data-units='{"day": ["%(num)s day", "%(num)s days"], …}'> holds the server's words; this
// only redoes them each second, with the two largest units like community/challenges/labels.py.
(function () {
  "use strict";
  if (window.__challengeCountdown) return; // loaded once per page
  window.__challengeCountdown = true;

  const lang = document.documentElement.lang || "en";
  let plural;
  try {
    plural = new Intl.PluralRules(lang);
  } catch (error) {
    plural = { select: (n) => (n === 1 ? "one" : "other") };
  }
  const SKEW_LIMIT = 120000; // trust the device's clock unless it is off by over two minutes

  function unit(forms, name, count) {
    const pair = forms[name] || ["%(num)s", "%(num)s"];
    return (plural.select(count) === "one" ? pair[0] : pair[1]).replace("%(num)s", String(count));
  }

  function parts(seconds) {
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor((seconds % 86400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const secs = seconds % 60;
    let shown;
    if (days) shown = [["day", days], ["hour", hours]];
    else if (hours) shown = [["hour", hours], ["minute", minutes]];
    else if (minutes) shown = [["minute", minutes], ["second", secs]];
    else shown = [["second", secs]];
    return shown.filter((part, index) => index === 0 || part[1]);
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach((element) => {
      if (element.dataset.skew === undefined) {
        const skew = Date.parse(element.dataset.now) - now;
        element.dataset.skew = String(Math.abs(skew) > SKEW_LIMIT ? skew : 0);
      }
      let forms;
      try {
        forms = JSON.parse(element.dataset.units);
      } catch (error) {
        return; // keep the server's words
      }
      const target = Date.parse(element.getAttribute("datetime"));
      const left = Math.floor((target - (now + Number(element.dataset.skew))) / 1000);
      const text = left > 0
        ? element.dataset.pattern.replace("%(time)s", parts(left).map((p) => unit(forms, p[0], p[1])).join(" "))
        : element.dataset.done;
      if (element.textContent !== text) element.textContent = text;
    });
  }

  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  window.setInterval(tick, 1000);
})();
