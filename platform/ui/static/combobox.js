// Type-ahead pickers (WAI-ARIA 1.2 combobox with a listbox popup), keyboard only.
//
// 1. A <select data-combobox> stays in the page and is what the form sends: without JavaScript it
//    is the plain field. With it, a text box takes its label and place; typing lists the options
//    whose text contains what was typed, ignoring case and Polish diacritics ("skarzysko-k" finds
//    "Skarżysko-Kamienna"). The first option group ("your institution's commune") is listed first.
//    With data-combobox-source="URL" (person pickers) the options come from the server as one types
//    (URL?q=…, JSON {results: [{value, text}]}, at most 20, the institution's own people only); the
//    options rendered in the select (e.g. the likely matches) are what an empty box lists.
// 2. An <input data-combobox-source="URL" data-combobox-adds-to="ID"> (adding attendees, choosing
//    whom to enrol) searches the server the same way; choosing adds a ticked checkbox (or radio
//    button: data-combobox-type="radio"; name = data-combobox-name) to the element ID, or ticks the
//    one already there, and empties the box for the next person.
//
// Nothing is chosen by typing alone: Down/Up move through the list, Enter or a click chooses,
// Escape closes (or clears).
(function () {
  var MAX = 60, MIN_REMOTE = 2, DELAY = 200;
  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  }
  function localMatches(options, query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    var needle = fold(query).trim();
    return options.filter(function (o) {
      return !needle || o.key.indexOf(needle) >= 0 || words.every(function (w) { return o.key.indexOf(w) >= 0; });
    }).slice(0, MAX);
  }
  function remoteSearch(url) {
    var timer = null, latest = 0;
    return function (query, done) {
      clearTimeout(timer);
      if (fold(query).trim().length < MIN_REMOTE) { latest += 1; done([]); return; }
      var ticket = ++latest;
      timer = setTimeout(function () {
        var target = url + (url.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query.trim());
        fetch(target, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) {
            if (ticket !== latest) return;   // a later keystroke's answer wins
            done((data.results || []).map(function (r) { return {value: r.value, text: r.text, group: ""}; }));
          })
          .catch(function () { if (ticket === latest) done([]); });
      }, DELAY);
    };
  }

  // The listbox behaviour shared by both kinds: `input` is the combobox, `base` names its parts,
  // `search(query, done)` lists options, `choose(option)` acts on Enter or a click, `value()` says
  // whether something is chosen (Down on a chosen box lists everything again).
  function attach(input, base, labelledBy, resultsLabel, search, choose, value, cleared) {
    var list = document.createElement("ul");
    var status = document.createElement("p");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-listbox");
    input.setAttribute("autocomplete", "off");
    list.id = base + "-listbox";
    list.className = "combobox__list";
    list.setAttribute("role", "listbox");
    if (labelledBy) list.setAttribute("aria-labelledby", labelledBy);
    else if (resultsLabel) list.setAttribute("aria-label", resultsLabel);
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.insertBefore(list, input.nextSibling);
    input.parentNode.insertBefore(status, list.nextSibling);
    var shown = [], active = -1;

    function render() {
      list.innerHTML = "";
      shown.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = base + "-option-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", i === active ? "true" : "false");
        item.className = "combobox__option" + (i === active ? " combobox__option--active" : "");
        item.textContent = option.text;
        if (option.group) {
          var group = document.createElement("span");
          group.className = "muted";
          group.textContent = " · " + option.group;
          item.appendChild(group);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(option); });
        list.appendChild(item);
      });
      if (active >= 0) input.setAttribute("aria-activedescendant", base + "-option-" + active);
      else input.removeAttribute("aria-activedescendant");
    }
    function show(options, thenMove) {
      shown = options;
      active = -1;
      list.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      status.textContent = shown.length + " " + (resultsLabel || "");
      render();
      if (thenMove) move(thenMove);
    }
    function open(query, thenMove) { search(query, function (options) { show(options, thenMove); }); }
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function pick(option) { choose(option); close(); }
    function move(key) {
      if (!shown.length) return;
      active = key === "ArrowDown" ? Math.min(active + 1, shown.length - 1) : Math.max(active - 1, 0);
      render();
      var item = document.getElementById(base + "-option-" + active);
      if (item && item.scrollIntoView) item.scrollIntoView({block: "nearest"});
    }
    input.addEventListener("input", function () {
      cleared();   // typing alone never chooses: "Skarżysko-K" is not "Skarżysko Kościelne"
      open(input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) open(value() ? "" : input.value, event.key); else move(event.key);
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (!list.hidden) { if (active >= 0) pick(shown[active]); event.preventDefault(); }
        else if (input.dataset.comboboxAddsTo && input.form && input.form.contains(document.getElementById(
          input.dataset.comboboxAddsTo))) event.preventDefault();   // never submits the form it adds to
      } else if (event.key === "Escape") {
        if (!list.hidden) close(); else { input.value = ""; cleared(); }
        event.preventDefault();
      }
    });
    input.addEventListener("blur", close);
  }

  function enhanceSelect(select) {
    var seen = {}, options = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value || seen[option.value]) return;
      seen[option.value] = true;
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      options.push({value: option.value, text: option.text, group: group,
                    key: fold(option.text + " " + option.value)});
    });
    var remote = select.dataset.comboboxSource ? remoteSearch(select.dataset.comboboxSource) : null;
    var label = document.querySelector('label[for="' + select.id + '"]');
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-combobox";
    input.className = select.className;
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    if (label) { label.htmlFor = input.id; label.id = label.id || select.id + "-label"; }
    var chosen = options.filter(function (o) { return o.value === select.value; })[0];
    input.value = chosen ? chosen.text : "";
    select.hidden = true;
    select.tabIndex = -1;
    select.removeAttribute("required");
    select.parentNode.insertBefore(input, select);
    attach(input, select.id, label && label.id, select.dataset.resultsLabel, function (query, done) {
      if (remote && fold(query).trim()) remote(query, done); else done(localMatches(options, query));
    }, function (option) {
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === option.value; })) {
        select.appendChild(new Option(option.text, option.value));   // a person the server found
      }
      select.value = option.value;
      input.value = option.text;
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }, function () { return !!select.value; }, function () { select.value = ""; });
  }

  function enhanceAdder(input) {
    var target = document.getElementById(input.dataset.comboboxAddsTo);
    var name = input.dataset.comboboxName;
    var announce = document.getElementById(input.id + "-added");
    var remote = remoteSearch(input.dataset.comboboxSource);
    // The list is named by what it holds ("people found"), not by the box's label: the label names
    // one field only (a search field of the page keeps working as before).
    attach(input, input.id, null, input.dataset.resultsLabel, remote, function (option) {
      var kind = input.dataset.comboboxType || "checkbox";
      var existing = Array.prototype.filter.call(target.querySelectorAll('input[type="' + kind + '"]'),
                                                 function (box) { return box.value === option.value; })[0];
      if (existing) {
        existing.checked = true;
      } else {
        var row = document.createElement("div");
        var box = document.createElement("input");
        var text = document.createElement("label");
        row.className = "checkbox";
        box.type = kind;
        box.name = name;
        box.value = option.value;
        box.checked = true;
        box.id = input.id + "-" + option.value;
        text.htmlFor = box.id;
        text.textContent = option.text;
        row.appendChild(box);
        row.appendChild(text);
        target.appendChild(row);
      }
      if (announce) announce.textContent = (input.dataset.addedLabel || "") + " " + option.text;
      input.value = "";
    }, function () { return false; }, function () {});
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-combobox]"), enhanceSelect);
  Array.prototype.forEach.call(document.querySelectorAll("input[data-combobox-adds-to]"), enhanceAdder);
})();
