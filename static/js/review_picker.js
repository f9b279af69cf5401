// The review page's pickers (the swap's pairings, the pair-by-hand's mentee
// and mentor): a search field whose <datalist> holds the entries matching
// what has been typed so far, fetched from the small search endpoint named
// by its data-picker-url (at most a few dozen entries, never the whole run).
// An entry's label ends with "(#id)". Without this script the field still
// works: the server picks the only entry that matches the typed words, or
// says why it cannot.
(function () {
  "use strict";
  var WAIT_MS = 200;

  function fill(list, results) {
    list.replaceChildren.apply(
      list,
      results.map(function (result) {
        var option = document.createElement("option");
        option.value = result.label;
        return option;
      })
    );
  }

  function watch(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = null;
    function ask() {
      var text = input.value;
      if (text === asked || /\(#\d+\)\s*$/.test(text)) return; // a chosen entry
      asked = text;
      var url = input.dataset.pickerUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value === text) fill(list, data.results); })
        .catch(function () { /* the field still works by name without the list */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
    input.addEventListener("focus", ask);
  }

  document.querySelectorAll("input[data-picker-url][list]").forEach(watch);
})();
