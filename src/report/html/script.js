// quotecheck HTML report: filters and links between the text and the
// records. The page is complete without this script; it only adds.
"use strict";
(function () {
  var form = document.getElementById("filters");
  var articles = Array.prototype.slice.call(document.querySelectorAll("article.art"));
  var all = function (selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  };
  var unchecked = function (name) {
    var off = {};
    all("input[name='" + name + "']", form).forEach(function (input) {
      if (!input.checked) off[input.value] = true;
    });
    return off;
  };

  function apply() {
    var verdicts = unchecked("v");
    var kinds = unchecked("k");
    var extractors = unchecked("x");
    var only = document.getElementById("only-mismatches").checked;
    all("[data-v][data-k]").forEach(function (el) {
      el.classList.toggle("off", !!(verdicts[el.dataset.v] || kinds[el.dataset.k]));
    });
    all("[data-x]").forEach(function (el) {
      el.classList.toggle("xoff", !!extractors[el.dataset.x]);
    });
    var shown = 0;
    articles.forEach(function (article) {
      var columns = all(".col", article).filter(function (col) {
        return !extractors[col.dataset.x];
      });
      var mismatch = columns.some(function (col) { return col.dataset.ok !== "1"; });
      var hide = columns.length === 0 || (only && !mismatch);
      article.classList.toggle("aoff", hide);
      if (!hide) shown += 1;
    });
    document.getElementById("shown").textContent =
      "showing " + shown + " of " + articles.length + " article" + (articles.length === 1 ? "" : "s");
  }

  function openRecord(id, scroll) {
    var record = document.getElementById(id);
    if (!record || record.tagName !== "DETAILS") return;
    record.open = true;
    record.classList.remove("flash");
    void record.offsetWidth;
    record.classList.add("flash");
    if (scroll) record.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function highlight(id, on) {
    all("[data-r='" + id + "']").forEach(function (el) {
      if (el.tagName === "MARK" || el.tagName === "DETAILS") el.classList.toggle("hl", on);
    });
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("change", apply);
    apply();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("a.m");
    if (link) {
      openRecord(link.dataset.r, false);
      return;
    }
    var mark = target.closest("mark.q");
    if (mark && !mark.classList.contains("off")) openRecord(mark.dataset.r, true);
  });
  document.addEventListener("mouseover", function (event) {
    var target = event.target instanceof Element ? event.target.closest("details.rec, mark.q") : null;
    if (target) highlight(target.dataset.r, true);
  });
  document.addEventListener("mouseout", function (event) {
    var target = event.target instanceof Element ? event.target.closest("details.rec, mark.q") : null;
    if (target) highlight(target.dataset.r, false);
  });
  var fromHash = function () {
    if (location.hash.length > 1) openRecord(decodeURIComponent(location.hash.slice(1)), false);
  };
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
