/* Siaga maps: TPS coloured by category, the posts of a plan as squares and the reach of the
   reserve teams as dashed circles, all from the console's own GeoJSON endpoints.

   Under them, the base layer: the kecamatan and desa boundaries the operation imported (from
   the #map element's data-boundaries URL), the outer edge of the jurisdiction drawn bold, and
   the names at their centres (kecamatan when zoomed out, desa when zoomed in).

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

  const map = L.map(box, { zoomSnap: 0.5, preferCanvas: true, scrollWheelZoom: !cfg.small });
  map.attributionControl.setPrefix(false);
  if (cfg.tile_url) {
    // the attribution is the operator's own setting (it may hold a link), not data: kept as HTML
    L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution, maxZoom: 19 }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }
  map.setView([-2.5, 118], 5); // Indonesia, until the data arrives
  // Desa names only when zoomed in far enough to read them; kecamatan names always.
  map.on("zoomend", () => box.classList.toggle("show-desa", map.getZoom() >= 13));
  L.control.scale({ imperial: false }).addTo(map);

  const legend = document.getElementById("map-legend");
  if (legend) {
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      L.DomEvent.disableClickPropagation(legend);
      return legend;
    };
    control.addTo(map);
  }

  // ------------------------------------------------------------ small DOM helpers (no innerHTML)
  // Leaflet puts a string given as tooltip, popup or layer name into innerHTML: every text from
  // the data (a TPS code, a desa, a person) goes to Leaflet as a DOM node built here (`el`), and
  // the few strings Leaflet insists on (the layer names) through `escapeHtml`.
  const escapeHtml = (text) =>
    String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  const number = (x) => Number(x).toLocaleString(lang, { maximumFractionDigits: 2 });
  const colour = (category) => cfg.colours[category] || "#777";
  const badge = (category) => el("span", { class: "badge " + category }, words.categories[category] || category);
  function facts(pairs) {
    const dl = el("dl");
    for (const [term, value] of pairs) {
      if (value !== null && value !== undefined && value !== "") dl.append(el("dt", {}, term), el("dd", {}, String(value)));
    }
    return dl;
  }

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

  function boundaryLabel(p) {
    // a name at the centre: kecamatan names when zoomed out, desa names when zoomed in (CSS)
    const kind = p.level === "KECAMATAN" ? "kecamatan" : "desa";
    return L.tooltip({ permanent: true, direction: "center", interactive: false, className: "boundary-label " + kind })
      .setLatLng([p.lat, p.lon])
      .setContent(el("span", {}, p.name));
  }

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
      named.forEach((f) => places.addLayer(boundaryLabel(f.properties)));
    }
    shown.boundaries = named.length;
    return data;
  }

  const tpsLayer = L.geoJSON(null, {
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, {
        radius: cfg.small ? 5 : 6,
        color: "#ffffff",
        weight: 1,
        fillColor: colour(feature.properties.category),
        fillOpacity: 0.95,
      }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(() => el("span", {}, "TPS " + feature.properties.code));
      layer.bindPopup(() => tpsPopup(feature.properties));
    },
  }).addTo(map);

  const postLayer = L.layerGroup();
  const reachLayer = L.layerGroup();
  const incidentLayer = L.layerGroup();
  // What the map shows now, for people and tests: posts by id, open incidents, refresh count.
  const shown = { posts: {}, incidents: [], refreshes: 0 };
  shown.view = () => ({ zoom: map.getZoom(), center: map.getCenter() });
  Object.assign(shown, { leaflet: map, tpsLayer, postLayer, incidentLayer, boundaryLayer }); // for tests
  shown.boundaries = 0;
  window.siagaMap = shown;
  let postOfTps = {}; // TPS code -> its TPS post: the square sits on the circle, so one popup tells both
  if (!cfg.small) {
    reachLayer.addTo(map);
    postLayer.addTo(map);
    incidentLayer.addTo(map);
    const overlays = {};
    overlays[escapeHtml(words.tps)] = tpsLayer;
    overlays[escapeHtml(words.posts)] = postLayer;
    overlays[escapeHtml(words.reserve_reach)] = reachLayer;
    overlays[escapeHtml(words.open_incidents)] = incidentLayer;
    overlays[escapeHtml(words.places)] = places;
    if (boundariesUrl) overlays[escapeHtml(box.dataset.boundariesLabel || "")] = boundaryLayer;
    L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
  }

  function tpsPopup(p) {
    const post = postOfTps[p.code];
    return el(
      "div",
      { class: "map-popup" },
      el("strong", {}, "TPS " + p.code),
      " ",
      badge(p.category),
      facts([
        [words.desa, p.desa],
        [words.kecamatan, p.kecamatan],
        [words.score, number(p.score)],
        [words.voters, number(p.voters)],
        [words.kinds.TPS, post ? post.id : ""],
        [words.assigned + " / " + words.required, post ? staffing(post) : ""],
        [words.unfilled, post && post.unfilled ? number(post.unfilled) : ""],
      ]),
      el("a", { href: p.url }, words.details + " →")
    );
  }

  function staffing(p) {
    const slots = Object.keys(p.required).filter((slot) => p.required[slot] > 0);
    return slots.map((slot) => slot + " " + (p.assigned[slot] || 0) + "/" + p.required[slot]).join(", ");
  }

  function postPopup(p) {
    return el(
      "div",
      { class: "map-popup" },
      el("strong", {}, words.kinds[p.kind] || p.kind),
      " ",
      badge(p.category),
      facts([
        ["ID", p.id],
        [words.assigned + " / " + words.required, staffing(p)],
        [words.unfilled, p.unfilled ? number(p.unfilled) : ""],
        [words.tps, p.tps.join(", ")],
        [words.reach, p.reach_km ? number(p.reach_km) : ""],
        [words.status, p.status ? words.statuses[p.status] || p.status : ""],
        [words.open_incidents, p.open_incidents ? number(p.open_incidents) : ""],
      ])
    );
  }

  function addPost(feature) {
    const p = feature.properties;
    const latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
    const reserve = p.kind === "RESERVE";
    if (reserve && p.reach_km) {
      L.circle(latlng, {
        radius: p.reach_km * 1000,
        color: REACH_COLOUR,
        weight: 1.5,
        dashArray: "6 6",
        fillColor: REACH_COLOUR,
        fillOpacity: 0.05,
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
      title: (words.kinds[p.kind] || p.kind) + " " + p.id,
      zIndexOffset: reserve ? 1000 : 0,
      interactive: p.kind !== "TPS", // clicks go through to the TPS below, whose popup shows the post
    })
      .bindPopup(() => postPopup(p))
      .addTo(postLayer);
    if (p.kind === "TPS") p.tps.forEach((code) => (postOfTps[code] = p));
    shown.posts[p.id] = p;
  }

  function addIncident(feature) {
    const p = feature.properties;
    const latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
    L.marker(latlng, {
      icon: L.divIcon({ className: "map-incident sev-" + p.severity, html: "!", iconSize: [18, 18] }),
      title: words.incident + " #" + p.id + " " + p.kind,
      zIndexOffset: 2000,
    })
      .bindPopup(() =>
        el(
          "div",
          { class: "map-popup" },
          el("strong", {}, words.incident + " #" + p.id + " " + p.kind),
          facts([
            [words.severity, p.severity],
            [words.status, p.status],
            [words.tps, p.tps_code],
            ["Pos", p.post_id],
          ])
        )
      )
      .addTo(incidentLayer);
    shown.incidents.push(p);
  }

  function showPosts(posts) {
    if (posts && posts.statuses) words.statuses = posts.statuses; // the field's own words
    postLayer.clearLayers();
    reachLayer.clearLayers();
    postOfTps = {};
    shown.posts = {};
    if (posts) posts.features.forEach(addPost);
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

  let fitted = false;
  let boundaries = null; // fetched once: {fit: true} when the user sees one kecamatan
  async function load() {
    say("");
    try {
      if (boundariesUrl && !boundaries) boundaries = await loadBoundaries().catch(() => ({ features: [] }));
      const wanted = [get(url(cfg.tps_url, cfg.query))];
      if (!cfg.small && cfg.plan) wanted.push(get(url(cfg.posts_url, { ...cfg.query, plan: cfg.plan })));
      if (!cfg.small && cfg.plan) wanted.push(get(incidentsUrl()).catch(() => null));
      const [tps, posts, incidents] = await Promise.all(wanted);
      tpsLayer.clearLayers().addData(tps);
      showPosts(posts);
      showIncidents(incidents);
      if (!tps.features.length) say(words.none);
      const bounds = tps.features.length ? tpsLayer.getBounds() : null;
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
    } catch (error) {
      say(words.failed + " (" + error.message + ")");
    }
  }

  const form = document.getElementById("map-filters");
  if (form) {
    const apply = () => {
      const data = new FormData(form);
      cfg.query = { kecamatan: data.get("kecamatan") || "", category: data.get("category") || "" };
      cfg.plan = data.get("plan") || cfg.plan;
      const shown = url(window.location.pathname, { ...cfg.query, plan: cfg.plan });
      window.history.replaceState(null, "", shown.pathname + shown.search);
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
        get(url(cfg.posts_url, { ...cfg.query, plan: cfg.plan })),
        get(incidentsUrl()).catch(() => null),
      ]);
      showPosts(posts);
      showIncidents(incidents);
      shown.refreshes += 1;
      say("");
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
