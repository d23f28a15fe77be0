/* The site-wide search of the report series: searches the index that the publishing wrote
   (sok-index.js, window.UTV_SOKINDEX) in the browser, without a server and from file:// too.
   Every text of the index is data: it is shown with textContent, never as HTML. */
(function () {
  "use strict";
  var box = document.querySelector(".utv-sok");
  var index = window.UTV_SOKINDEX;
  if (!box || !index || !index.poster) return;
  var field = box.querySelector("input");
  var list = box.querySelector(".utv-sokresultat");
  var status = box.querySelector(".utv-sokstatus");
  var root = box.getAttribute("data-rot") || "";
  var MAX = 12;
  var kinds = Object.keys(index.typer);

  function fold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var entries = index.poster.map(function (p) {
    return { text: p[0], url: p[1], kind: p[2], where: p[3], title: fold(p[0]),
             key: fold(p[0] + " " + p[3]) };
  });

  function score(entry, query) {
    var s = kinds.indexOf(entry.kind) * 10;
    if (entry.title === query) s -= 100;
    else if (entry.title.indexOf(query) === 0) s -= 50;
    else if (entry.title.indexOf(query) >= 0) s -= 20;
    return s;
  }

  function search(text) {
    var query = fold(text).trim();
    var words = query.split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var hits = entries.filter(function (e) {
      return words.every(function (w) { return e.key.indexOf(w) >= 0; });
    });
    hits.sort(function (a, b) {
      return score(a, query) - score(b, query) || a.text.length - b.text.length ||
        a.text.localeCompare(b.text, "sv");
    });
    return hits;
  }

  function show() {
    var hits = search(field.value);
    list.textContent = "";
    if (!field.value.trim()) {
      list.hidden = true;
      status.textContent = "";
      return;
    }
    hits.slice(0, MAX).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.url;
      var text = document.createElement("span");
      text.className = "utv-soktraff";
      text.textContent = hit.text;
      var where = document.createElement("small");
      where.textContent = index.typer[hit.kind] + (hit.where ? " · " + hit.where : "");
      link.appendChild(text);
      link.appendChild(where);
      item.appendChild(link);
      list.appendChild(item);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "utv-ingen-traff";
      none.textContent = "Inga träffar.";
      list.appendChild(none);
    }
    list.hidden = false;
    status.textContent = hits.length === 1 ? "1 träff" : hits.length + " träffar" +
      (hits.length > MAX ? ", de " + MAX + " första visas" : "");
  }

  box.hidden = false;
  field.addEventListener("input", show);
  field.addEventListener("keydown", function (event) {
    var first = list.querySelector("a");
    if (event.key === "Enter" && first) {
      event.preventDefault();
      window.location.href = first.href;
    } else if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    } else if (event.key === "Escape") {
      field.value = "";
      show();
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < links.length - 1) {
      event.preventDefault();
      links[i + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (i > 0 ? links[i - 1] : field).focus();
    } else if (event.key === "Escape") {
      field.focus();
      field.value = "";
      show();
    }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) list.hidden = true;
  });
  field.addEventListener("focus", function () { if (field.value.trim()) show(); });
})();
