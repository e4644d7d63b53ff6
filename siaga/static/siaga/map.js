/* Siaga maps: TPS coloured by category, the posts of a plan as squares, the reach of the
   reserve teams as faint dashed circles, open incidents and escort runs, all from the console's
   own GeoJSON endpoints.

   Under them, the base layer: the kecamatan and desa boundaries the operation imported (from
   the #map element's data-boundaries URL), the outer edge of the jurisdiction drawn bold, and
   the names at their centres (kecamatan when zoomed out, desa when zoomed in), a name that
   would overlap another hidden.

   On the map page a panel (#map-panel) is both the legend and the layer switches; it folds to
   its button and the browser remembers; on a phone it starts folded.

   Below everything, when the operator supplied one (SIAGA_BASEMAP_PMTILES, docs/map.md), the
   offline vector base map: roads, rivers and settlements from a PMTiles file the console serves
   itself (the #map element's data-basemap URL), drawn by the vendored protomaps-leaflet in its
   light colours and without its own names (the region names are ours).

   A large ground loads by view: when the first answer (the whole ground) comes counted per
   region (`clusters`) or cut short (`truncated`), every move of the map (debounced) asks the
   TPS and the posts of its view again (`bbox`, `zoom`, siaga/operations/viewport.py), and a
   region's count is a disc that zooms in when clicked. A small ground arrives whole, once.

   Settings come from the JSON in #map-config (urls, filters, words in the user's language).
   Nothing is loaded from another host unless the operator configured a tile URL. */
(() => {
  "use strict";
  const source = document.getElementById("map-config");
  const box = document.getElementById("map");
  if (!source || !box || !window.L) return;
  const cfg = JSON.parse(source.textContent);
  const words = cfg.words;
  const lang = document.documentElement.lang || "id";
  const REACH_COLOUR = "#123b63";
  const POST_SIZE = { TPS: 16, VILLAGE: 18, STANDBY: 20, RESERVE: 22 };
  const DESA_ZOOM = 13; // desa names from here on, kecamatan names below
  const PANEL_KEY = "siaga-map-panel"; // "open" or "closed", remembered by the browser
  const NARROW = 900; // px: the panel lies over the map's corner below this width, folded at first
  const POPUP_CLEAR_TOP = 84; // px below the map's top edge: under the zoom buttons and the legend's button

  const map = L.map(box, { zoomSnap: 0.5, preferCanvas: true, scrollWheelZoom: !cfg.small });
  // The zoom buttons (top left) and, on a phone, the legend's button (top right) lie over the
  // map's top: a popup opened near it pans down clear of them, its title and close button shown.
  L.Popup.mergeOptions({ autoPanPaddingTopLeft: L.point(5, POPUP_CLEAR_TOP) });
  map.attributionControl.setPrefix(false);
  if (cfg.tile_url) {
    // the attribution is the operator's own setting (it may hold a link), not data: kept as HTML
    L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution, maxZoom: 19 }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }
  // The offline vector base map, in its own pane above raster tiles and below the boundaries.
  const basemapUrl = box.dataset.basemap || "";
  let basemapLayer = null;
  if (basemapUrl && window.protomapsL) {
    map.createPane("basemap").style.zIndex = 250;
    basemapLayer = protomapsL.leafletLayer({
      url: basemapUrl,
      flavor: "light",
      pane: "basemap",
      maxDataZoom: 15, // the recipe of docs/map.md cuts the file at zoom 15; deeper zooms enlarge it
      attribution: box.dataset.basemapAttribution || "",
    });
    basemapLayer.labelRules.length = 0; // no names of its own: they would collide with the region names
    basemapLayer.addTo(map);
    box.classList.remove("no-tiles");
  }
  map.setView([-2.5, 118], 5); // Indonesia, until the data arrives
  L.control.scale({ imperial: false }).addTo(map);

  // ------------------------------------------------------------ small DOM helpers (no innerHTML)
  // Leaflet puts a string given as tooltip or popup into innerHTML: every text from the data (a
  // TPS code, a desa, a person) goes to Leaflet as a DOM node built here (`el`).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) {
      if (child !== null && child !== undefined && child !== "") node.append(child);
    }
    return node;
  }
  const number = (x) => Number(x).toLocaleString(lang, { maximumFractionDigits: 2 });
  const colour = (category) => cfg.colours[category] || "#777";
  const badge = (category) => el("span", { class: "badge " + category }, words.categories[category] || category);
  const fill = (text, params) => text.replace(/%\((\w+)\)s/g, (_, k) => String(params[k]));
  function facts(pairs) {
    const dl = el("dl");
    for (const [term, value] of pairs) {
      if (value !== null && value !== undefined && value !== "") {
        dl.append(el("dt", {}, term), el("dd", {}, value instanceof Node ? value : String(value)));
      }
    }
    return dl;
  }
  function links(pairs) {
    const div = el("div", { class: "links" });
    for (const [href, text] of pairs) if (href) div.append(el("a", { href }, text + " →"));
    return div;
  }
  function person(leader) {
    // the post leader's name, and his phone as a link the phone dials
    if (!leader) return null;
    const span = el("span", { class: "leader" }, leader.name);
    if (leader.phone) {
      const tel = "tel:" + leader.phone.replace(/[^0-9+]/g, "");
      span.append(" · ", el("a", { href: tel, title: fill(words.call, { name: leader.name }) }, leader.phone));
    }
    return span;
  }
  const time = (iso) =>
    iso ? new Date(iso).toLocaleString(lang, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) : "";

  // ------------------------------------------------------------ layers
  const places = L.layerGroup(
    cfg.places.map((p) =>
      L.marker([p.lat, p.lon], {
        icon: L.divIcon({
          className: "map-place" + (p.kecamatan ? " kecamatan" : ""),
          html: el("span", { class: "map-place-text" }, p.name),
          iconSize: null,
        }),
        interactive: false,
        keyboard: false,
      })
    )
  ).addTo(map);

  // The base layer: its own pane below the TPS and posts (which share the overlay pane's canvas).
  const boundariesUrl = box.dataset.boundaries || "";
  map.createPane("boundaries").style.zIndex = 350;
  const boundaryRenderer = L.canvas({ pane: "boundaries" });
  const BOUNDARY_STYLE = {
    KECAMATAN: { color: "#4a5561", weight: 2, opacity: 0.9 },
    DESA: { color: "#8a949e", weight: 0.8, opacity: 0.9 },
    KELURAHAN: { color: "#8a949e", weight: 0.8, opacity: 0.9 },
    OUTLINE: { color: "#1d2935", weight: 4, opacity: 0.9 },
  };
  const boundaryLayer = L.geoJSON(null, {
    pane: "boundaries",
    renderer: boundaryRenderer,
    interactive: false,
    style: (feature) => ({ fill: false, ...(BOUNDARY_STYLE[feature.properties.level] || BOUNDARY_STYLE.DESA) }),
  });
  if (boundariesUrl) boundaryLayer.addTo(map);

  // The names, most important first: kecamatan before desa, a large area before a small one.
  const labels = [];
  function boundaryLabel(feature) {
    const p = feature.properties;
    const kind = p.level === "KECAMATAN" ? "kecamatan" : "desa";
    const span = L.geoJSON(feature).getBounds();
    const size = Math.abs((span.getNorth() - span.getSouth()) * (span.getEast() - span.getWest()));
    const tooltip = L.tooltip({
      permanent: true,
      direction: "center",
      interactive: false,
      className: "boundary-label " + kind,
    })
      .setLatLng([p.lat, p.lon])
      .setContent(el("span", {}, p.name));
    labels.push({ tooltip, rank: (kind === "kecamatan" ? 1e6 : 0) + size });
    return tooltip;
  }

  // A name drawn over another is hidden, the less important one (a simple greedy pass over the
  // names shown at this zoom, after every move and zoom).
  function declutter() {
    const nodes = labels.map((l) => ({ node: l.tooltip.getElement(), rank: l.rank }));
    box.querySelectorAll(".map-place-text").forEach((node) => nodes.push({ node, rank: 0 }));
    const placed = [];
    let hidden = 0;
    nodes.sort((a, b) => b.rank - a.rank);
    for (const { node } of nodes) {
      if (!node) continue;
      node.classList.remove("label-hidden");
      const r = node.getBoundingClientRect();
      if (!r.width || !r.height) continue; // not shown at this zoom
      const pad = 3;
      const clash = placed.some(
        (o) => r.left - pad < o.right && r.right + pad > o.left && r.top - pad < o.bottom && r.bottom + pad > o.top
      );
      if (clash) {
        node.classList.add("label-hidden");
        hidden += 1;
      } else {
        placed.push(r);
      }
    }
    shown.labelsHidden = hidden;
  }
  map.on("zoomend", () => box.classList.toggle("show-desa", map.getZoom() >= DESA_ZOOM));
  let cluttered = false;
  map.on("moveend zoomend resize", () => {
    if (cluttered) return;
    cluttered = true;
    window.requestAnimationFrame(() => {
      cluttered = false;
      declutter();
    });
  });

  async function loadBoundaries() {
    if (!boundariesUrl) return null;
    const data = await get(boundariesUrl);
    boundaryLayer.clearLayers();
    // drawn order: desa, then kecamatan, then the outline on top
    const order = { DESA: 0, KELURAHAN: 0, KECAMATAN: 1, OUTLINE: 2 };
    const features = data.features.slice().sort((a, b) => order[a.properties.level] - order[b.properties.level]);
    boundaryLayer.addData({ type: "FeatureCollection", features });
    const named = features.filter((f) => f.properties.level !== "OUTLINE" && f.properties.name);
    if (named.length) {
      places.clearLayers(); // the names go where the outlines are
      labels.length = 0;
      named.forEach((f) => places.addLayer(boundaryLabel(f)));
    }
    shown.boundaries = named.length;
    return data;
  }

  // TPS: one layer, drawn again with the categories the user switched on.
  const hiddenCategories = new Set();
  let tpsData = { type: "FeatureCollection", features: [] };
  const tpsLayer = L.geoJSON(null, {
    filter: (feature) => !hiddenCategories.has(feature.properties.category),
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, {
        radius: cfg.small ? 5 : 6,
        color: "#ffffff",
        weight: 1,
        fillColor: colour(feature.properties.category),
        fillOpacity: 0.95,
      }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(() => el("span", {}, tpsTitle(feature.properties)));
      layer.bindPopup(() => tpsPopup(feature.properties));
    },
  }).addTo(map);
  // Regions counted instead of TPS when the view holds too many: a disc with the count (of the
  // categories switched on), its popup the count by category; a click zooms in on it.
  let clusterData = [];
  const clusterLayer = L.layerGroup().addTo(map);
  function drawClusters() {
    clusterLayer.clearLayers();
    for (const feature of clusterData) {
      const p = feature.properties;
      const counts = Object.entries(p.categories).filter(([c, n]) => n && !hiddenCategories.has(c));
      const count = counts.reduce((sum, [, n]) => sum + n, 0);
      if (!count) continue;
      const worst = counts[counts.length - 1][0]; // categories come mildest first: the disc takes the worst's colour
      const size = Math.round(Math.min(56, 22 + 6 * Math.log10(count)));
      const latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      const marker = L.marker(latlng, {
        icon: L.divIcon({ className: "map-cluster " + worst, html: el("span", {}, number(count)), iconSize: [size, size] }),
        title: p.name + " · " + fill(words.cluster, { count: number(count) }),
      });
      marker.on("click", () => map.setView(latlng, Math.min(map.getZoom() + 2, 18)));
      marker.bindTooltip(() =>
        el(
          "div",
          { class: "map-popup" },
          el("strong", {}, p.name),
          el("div", { class: "sub-title" }, fill(words.cluster, { count: number(count) })),
          facts(counts.map(([c, n]) => [words.categories[c] || c, number(n)]))
        )
      );
      marker.addTo(clusterLayer);
    }
    shown.clusters = clusterLayer.getLayers().length;
  }
  const drawTps = () => {
    tpsLayer.clearLayers().addData(tpsData);
    drawClusters();
  };

  const postLayer = L.layerGroup();
  const reachLayer = L.layerGroup();
  const incidentLayer = L.layerGroup();
  const escortLayer = L.layerGroup();
  // What the map shows now, for people and tests: posts by id, open incidents, refresh count.
  const shown = { posts: {}, incidents: [], escorts: [], refreshes: 0, labelsHidden: 0, clusters: 0, viewLoads: 0 };
  shown.view = () => ({ zoom: map.getZoom(), center: map.getCenter() });
  Object.assign(shown, { leaflet: map, tpsLayer, clusterLayer, postLayer, incidentLayer, escortLayer, reachLayer, boundaryLayer, basemapLayer });
  shown.boundaries = 0;
  shown.declutter = declutter;
  window.siagaMap = shown;
  // ------------------------------------------------------------ the panel: legend and switches
  const panel = document.getElementById("map-panel");
  const legend = document.getElementById("map-legend");
  if (panel) {
    const button = document.getElementById("map-panel-toggle");
    const remembered = (() => {
      try {
        return window.localStorage.getItem(PANEL_KEY);
      } catch (error) {
        return null;
      }
    })();
    const setOpen = (open, remember) => {
      panel.classList.toggle("folded", !open);
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? button.dataset.open : button.dataset.closed;
      if (remember) {
        try {
          window.localStorage.setItem(PANEL_KEY, open ? "open" : "closed");
        } catch (error) {
          /* private mode: not remembered */
        }
      }
      map.invalidateSize();
      declutter();
    };
    setOpen(remembered ? remembered === "open" : window.innerWidth >= NARROW, false);
    button.addEventListener("click", () => setOpen(panel.classList.contains("folded"), true));
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
  } else if (legend) {
    // the small map of the vulnerability page: the categories in a corner
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      L.DomEvent.disableClickPropagation(legend);
      return legend;
    };
    control.addTo(map);
  }

  let postOfTps = {}; // TPS code -> its TPS post: the square sits on the circle, so one popup tells both
  let incidentsPage = "";
  const switchable = { posts: postLayer, reach: reachLayer, incidents: incidentLayer, escorts: escortLayer, names: places };
  if (boundariesUrl) switchable.boundaries = boundaryLayer;
  if (basemapLayer) switchable.basemap = basemapLayer;
  if (!cfg.small) {
    reachLayer.addTo(map);
    postLayer.addTo(map);
    incidentLayer.addTo(map);
    escortLayer.addTo(map);
  }
  if (legend && panel) {
    legend.querySelectorAll("input[data-layer]").forEach((input) => {
      input.addEventListener("change", () => {
        const name = input.dataset.layer;
        if (name === "tps") {
          if (input.checked) hiddenCategories.delete(input.value);
          else hiddenCategories.add(input.value);
          drawTps();
        } else if (switchable[name]) {
          input.checked ? switchable[name].addTo(map) : map.removeLayer(switchable[name]);
        }
      });
    });
  }

  const tpsTitle = (p) => (p.number ? fill(words.tps_number, { number: p.number }) + " · " + p.desa : "TPS " + p.code);
  const strength = (p) => {
    const placed = Object.values(p.assigned || {}).reduce((a, b) => a + b, 0);
    const needed = Object.values(p.required || {}).reduce((a, b) => a + b, 0);
    return number(placed) + " / " + number(needed) + (staffing(p) ? " (" + staffing(p) + ")" : "");
  };
  const statusText = (p) => (p.status ? words.statuses[p.status] || "" : "");

  function tpsPopup(p) {
    const post = postOfTps[p.code];
    return el(
      "div",
      { class: "map-popup" },
      el("strong", {}, tpsTitle(p)),
      " ",
      badge(p.category),
      el("div", { class: "sub-title" }, p.code),
      facts([
        [words.desa, p.desa],
        [words.kecamatan, p.kecamatan],
        [words.score, number(p.score)],
        [words.voters, number(p.voters)],
        [words.kinds.TPS, post ? post.name : ""],
        [words.leader, post ? person(post.leader) : ""],
        [words.strength, post ? strength(post) : ""],
        [words.unfilled, post && post.unfilled ? number(post.unfilled) : ""],
        [words.status, post ? statusText(post) : ""],
      ]),
      links([
        [p.url, words.details],
        [post ? post.url : "", words.post_page],
      ])
    );
  }

  function staffing(p) {
    const slots = Object.keys(p.required).filter((slot) => p.required[slot] > 0);
    const named = (slot) => (words.forces && words.forces[slot]) || slot; // "Polri", not the code POLRI
    return slots.map((slot) => named(slot) + " " + (p.assigned[slot] || 0) + "/" + p.required[slot]).join(", ");
  }

  function postPopup(p) {
    return el(
      "div",
      { class: "map-popup" },
      el("strong", {}, p.name || p.id),
      " ",
      badge(p.category),
      el("div", { class: "sub-title" }, words.kinds[p.kind] || ""),
      facts([
        [words.leader, person(p.leader)],
        [words.strength, strength(p)],
        [words.unfilled, p.unfilled ? number(p.unfilled) : ""],
        [words.tps, p.tps.join(", ")],
        [words.reach, p.reach_km ? number(p.reach_km) : ""],
        [words.status, statusText(p)],
        [words.open_incidents, p.open_incidents ? number(p.open_incidents) : ""],
      ]),
      links([[p.url, words.post_page]])
    );
  }

  function addPost(feature) {
    const p = feature.properties;
    const latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
    const reserve = p.kind === "RESERVE";
    if (reserve && p.reach_km) {
      // the reach is context, not the subject: a thin dashed line, barely filled
      L.circle(latlng, {
        radius: p.reach_km * 1000,
        color: REACH_COLOUR,
        weight: 1,
        opacity: 0.45,
        dashArray: "3 6",
        fillColor: REACH_COLOUR,
        fillOpacity: 0,
        interactive: false,
      }).addTo(reachLayer);
    }
    const size = POST_SIZE[p.kind] || 16;
    L.marker(latlng, {
      icon: L.divIcon({
        className:
          "post-square " + p.category + " kind-" + p.kind + (p.in_place === false ? " not-in-place" : " in-place"),
        iconSize: [size, size],
      }),
      title: p.name || p.id,
      zIndexOffset: reserve ? 1000 : 0,
      interactive: p.kind !== "TPS", // clicks go through to the TPS below, whose popup shows the post
    })
      .bindPopup(() => postPopup(p))
      .addTo(postLayer);
    if (p.kind === "TPS") p.tps.forEach((code) => (postOfTps[code] = p));
    shown.posts[p.id] = p;
  }

  let incidentWords = { kinds: {}, severities: {}, statuses: {} };
  function addIncident(feature) {
    const p = feature.properties;
    const latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
    const kind = incidentWords.kinds[p.kind] || "";
    const post = Object.values(shown.posts).find((x) => x.id === p.post_id);
    L.marker(latlng, {
      icon: L.divIcon({ className: "map-incident sev-" + p.severity, html: "!", iconSize: [18, 18] }),
      title: words.incident + " #" + p.id + (kind ? " " + kind : ""),
      zIndexOffset: 2000,
    })
      .bindPopup(() =>
        el(
          "div",
          { class: "map-popup" },
          el("strong", {}, words.incident + " #" + p.id + (kind ? " · " + kind : "")),
          facts([
            [words.severity, incidentWords.severities[String(p.severity)] || ""],
            [words.status, incidentWords.statuses[p.status] || ""],
            [words.tps, p.tps_code],
            [words.posts, post ? post.name : p.post_id],
            [words.leader, post ? person(post.leader) : ""],
          ]),
          links([
            [incidentsPage ? incidentsPage + "#incident-" + p.id : "", words.incident_page],
            [post ? post.url : "", words.post_page],
          ])
        )
      )
      .addTo(incidentLayer);
    shown.incidents.push(p);
  }

  function addEscort(feature) {
    const p = feature.properties;
    const latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
    L.marker(latlng, {
      icon: L.divIcon({ className: "map-escort", iconSize: [12, 12] }),
      title: p.name,
      zIndexOffset: 500,
    })
      .bindPopup(() =>
        el(
          "div",
          { class: "map-popup" },
          el("strong", {}, p.name),
          el("div", { class: "sub-title" }, words.escort),
          facts([
            [words.route, p.route.join(" → ")],
            [words.window, time(p.start) + " – " + time(p.end)],
            [words.strength, number(p.placed) + " / " + number(p.needed)],
            [words.unfilled, p.unfilled ? number(p.unfilled) : ""],
          ]),
          links([[p.url, words.escort_page]])
        )
      )
      .addTo(escortLayer);
    shown.escorts.push(p);
  }

  function showPosts(posts) {
    if (posts && posts.statuses) words.statuses = posts.statuses; // the field's own words
    if (posts && posts.incident_words) incidentWords = posts.incident_words;
    if (posts && posts.incidents_url) incidentsPage = posts.incidents_url;
    postLayer.clearLayers();
    reachLayer.clearLayers();
    escortLayer.clearLayers();
    postOfTps = {};
    shown.posts = {};
    shown.escorts = [];
    if (posts) posts.features.forEach(addPost);
    if (posts && posts.escorts) posts.escorts.forEach(addEscort);
    const none = document.querySelector(".map-escorts-none");
    if (none) none.hidden = !(posts && posts.escorts && !posts.escorts.length);
  }

  function showIncidents(incidents) {
    incidentLayer.clearLayers();
    shown.incidents = [];
    const kecamatan = (cfg.query && cfg.query.kecamatan) || "";
    if (incidents)
      incidents.features.filter((f) => !kecamatan || f.properties.kecamatan_code === kecamatan).forEach(addIncident);
  }

  const incidentsUrl = () => (cfg.api_url || "/api/").replace(/\/?$/, "/") + "plans/" + cfg.plan + "/incidents.geojson";

  // ------------------------------------------------------------ loading and filters
  const status = document.getElementById("map-status");
  function say(text) {
    if (status) status.textContent = text;
  }

  function url(base, params) {
    const u = new URL(base, window.location.href);
    for (const [k, v] of Object.entries(params)) if (v) u.searchParams.set(k, v);
    return u;
  }

  async function get(address) {
    const response = await fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  // The view as the endpoints read it (viewport.py); none while the whole ground is loaded.
  let byView = false;
  let asked = 0; // views asked for: an answer to an older one is dropped
  function view() {
    if (!byView) return {};
    const b = map.getBounds();
    const edges = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(5));
    return { bbox: edges.join(","), zoom: String(Math.floor(map.getZoom())) };
  }
  const postsUrl = () => url(cfg.posts_url, { ...cfg.query, plan: cfg.plan, ...view() });

  let tpsNotice = ""; // what the last TPS answer asks of the reader (none for the filter, zoom in)
  function showTps(tps, inView) {
    const clustered = Boolean(tps.clusters);
    tpsData = { type: "FeatureCollection", features: clustered ? [] : tps.features };
    clusterData = clustered ? tps.features : [];
    drawTps();
    const none = tps.features.length || inView ? "" : words.none; // an empty view is not an empty filter
    tpsNotice = none || (clustered || tps.truncated ? words.zoom_tps : "");
    say(tpsNotice);
  }

  function tellPosts(posts) {
    if (posts && posts.too_many && !(status && status.textContent)) say(words.zoom_posts);
  }

  let fitted = false;
  let boundaries = null; // fetched once: {fit: true} when the user sees one kecamatan
  async function load() {
    say("");
    byView = false; // a new filter: the whole ground first, to know its extent and size
    asked += 1; // and a view still on its way is of the old filter
    try {
      if (boundariesUrl && !boundaries) boundaries = await loadBoundaries().catch(() => ({ features: [] }));
      const wanted = [get(url(cfg.tps_url, cfg.query))];
      if (!cfg.small && cfg.plan) wanted.push(get(url(cfg.posts_url, { ...cfg.query, plan: cfg.plan })));
      if (!cfg.small && cfg.plan) wanted.push(get(incidentsUrl()).catch(() => null));
      const [tps, posts, incidents] = await Promise.all(wanted);
      byView = Boolean(tps.clusters || tps.truncated || (posts && posts.too_many));
      showTps(tps);
      showPosts(posts);
      showIncidents(incidents);
      tellPosts(posts);
      const bounds = tps.features.length ? L.geoJSON(tps).getBounds() : null;
      const own = boundaries && boundaries.fit && boundaryLayer.getLayers().length ? boundaryLayer.getBounds() : null;
      if (own && own.isValid() && !(cfg.query && cfg.query.kecamatan)) {
        map.fitBounds(own, { padding: [16, 16] }); // a sector chief's map opens on his kecamatan
        fitted = true;
      } else if (bounds && bounds.isValid()) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
        fitted = true;
      } else if (!fitted && cfg.places.length) {
        map.fitBounds(L.latLngBounds(cfg.places.map((p) => [p.lat, p.lon])), { padding: [24, 24] });
      }
      shown.fitted = fitted;
      declutter();
    } catch (error) {
      say(words.failed + " (" + error.message + ")");
    }
  }

  // A large ground: the TPS and posts of the view again after each move, the last move only.
  let moved = null;
  async function loadView() {
    if (!byView) return;
    const mine = ++asked;
    try {
      const wanted = [get(url(cfg.tps_url, { ...cfg.query, ...view() }))];
      if (!cfg.small && cfg.plan) wanted.push(get(postsUrl()));
      const [tps, posts] = await Promise.all(wanted);
      if (mine !== asked) return; // a later move answered first or is on its way
      showTps(tps, true);
      if (posts) showPosts(posts);
      tellPosts(posts);
      shown.viewLoads += 1;
    } catch (error) {
      say(words.failed + " (" + error.message + ")");
    }
  }
  map.on("moveend", () => {
    if (!byView) return;
    window.clearTimeout(moved);
    moved = window.setTimeout(loadView, 300);
  });
  shown.loadView = loadView;

  const form = document.getElementById("map-filters");
  if (form) {
    const apply = () => {
      const data = new FormData(form);
      cfg.query = { kecamatan: data.get("kecamatan") || "", category: data.get("category") || "" };
      cfg.plan = data.get("plan") || cfg.plan;
      const shownUrl = url(window.location.pathname, { ...cfg.query, plan: cfg.plan });
      window.history.replaceState(null, "", shownUrl.pathname + shownUrl.search);
      load();
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      apply();
    });
  }
  // The live picture: posts (with their pergeseran status) and open incidents again every few
  // seconds, in place, without moving the view.
  let refreshing = false;
  async function refresh() {
    if (refreshing || cfg.small || !cfg.plan || document.hidden) return;
    refreshing = true;
    try {
      const [posts, incidents] = await Promise.all([
        get(postsUrl()),
        get(incidentsUrl()).catch(() => null),
      ]);
      showPosts(posts);
      showIncidents(incidents);
      say(tpsNotice);
      tellPosts(posts);
      shown.refreshes += 1;
    } catch (error) {
      say(words.failed + " (" + error.message + ")");
    } finally {
      refreshing = false;
    }
  }
  shown.refresh = refresh;
  if (!cfg.small) setInterval(refresh, (cfg.refresh_seconds || 10) * 1000);
  load();
})();
