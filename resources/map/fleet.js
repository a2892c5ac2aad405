/* The live fleet layer: every vessel drawn on one Leaflet canvas renderer, fed in batches over QWebChannel.
 *
 * Python sends one JSON batch per update: rows [id, lat, lon, cog (-1: unknown), state code] for the
 * vessels that changed. The whole fleet is redrawn in one pass (a triangle per vessel, pointed by its
 * course, coloured by state), so 10,000 updates cost one canvas frame, not 10,000 DOM operations.
 * No network: this file, Leaflet and qwebchannel.js are all local.
 */
(function () {
  "use strict";
  var STATES = ["distress", "lost_signal", "at_port", "violating", "near_boundary", "inside"];
  var COLOURS = ["#ff3bff", "#8b949e", "#58a6ff", "#f85149", "#e3b341", "#3fb950"];
  var DRAW_ORDER = [2, 5, 1, 4, 3, 0]; // most urgent last, on top

  var FleetLayer = L.Canvas.extend({
    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, L.extend({padding: 0.2}, options));
      this.ids = []; this.lat = []; this.lon = []; this.cog = []; this.state = [];
      this.index = new Map();
      this.show = [true, true, true, true, true, true];
      this.px = null; this.py = null;
      this.selected = null;
      this.stats = {vessels: 0, drawn: 0, batches: 0, lastBatchMs: 0, lastDrawMs: 0};
    },

    apply: function (rows) {
      for (var k = 0; k < rows.length; k++) {
        var r = rows[k], i = this.index.get(r[0]);
        if (i === undefined) {
          i = this.ids.length; this.index.set(r[0], i);
          this.ids.push(r[0]); this.lat.push(0); this.lon.push(0); this.cog.push(-1); this.state.push(5);
        }
        this.lat[i] = r[1]; this.lon[i] = r[2]; this.cog[i] = r[3];
        if (r[4] >= 0) { this.state[i] = r[4]; }
      }
      this.stats.vessels = this.ids.length;
      this.stats.batches += 1;
    },

    redrawNow: function () {
      if (this._map && this._ctx) { this._redrawBounds = null; this._clear(); this._draw(); }
    },

    // Sprites: for each state and each 10° of course, the pixels of the vessel's triangle (outlined),
    // rendered once per size with the canvas API and then copied pixel by pixel. Filling 10,000 paths
    // costs hundreds of ms in Chromium's software rasteriser; copying 10,000 small sprites costs a few.
    _sprites: function (size) {
      if (this._spriteSize === size) { return this._spriteSet; }
      var r = size, half = Math.ceil(r * 1.8) + 2, dim = 2 * half + 1, set = [];
      var c = document.createElement("canvas"); c.width = dim; c.height = dim;
      var g = c.getContext("2d", {willReadFrequently: true});
      for (var s = 0; s < STATES.length; s++) {
        var rr = s === 0 ? r * 1.25 : s === 3 || s === 4 ? r * 1.15 : r, perState = [];
        for (var h = 0; h <= 36; h++) { // 36: course unknown (a dot)
          g.clearRect(0, 0, dim, dim);
          g.beginPath();
          if (h === 36) {
            g.arc(half, half, rr * 0.7, 0, 6.2832);
          } else {
            var a = h * 10 * 0.017453, sa = Math.sin(a), ca = Math.cos(a);
            g.moveTo(half + sa * rr * 1.4, half - ca * rr * 1.4);
            g.lineTo(half - sa * rr * 0.8 + ca * rr * 0.7, half + ca * rr * 0.8 + sa * rr * 0.7);
            g.lineTo(half - sa * rr * 0.8 - ca * rr * 0.7, half + ca * rr * 0.8 - sa * rr * 0.7);
            g.closePath();
          }
          g.fillStyle = COLOURS[s]; g.fill();
          g.lineWidth = 1; g.strokeStyle = "rgba(0,0,0,0.75)"; g.stroke();
          var px = new Uint32Array(g.getImageData(0, 0, dim, dim).data.buffer), dx = [], dy = [], col = [];
          for (var k = 0; k < px.length; k++) {
            if (px[k] >>> 24 > 40) { dx.push((k % dim) - half); dy.push(Math.floor(k / dim) - half); col.push(px[k]); }
          }
          perState.push({dx: Int16Array.from(dx), dy: Int16Array.from(dy), col: Uint32Array.from(col)});
        }
        set.push(perState);
      }
      this._spriteSize = size; this._spriteSet = set;
      return set;
    },

    _draw: function () {
      if (!this._map) { return; }
      var t0 = performance.now();
      var ctx = this._ctx, map = this._map, n = this.ids.length, canvas = this._container;
      var zoom = map.getZoom(), origin = map.getPixelOrigin(), min = this._bounds.min;
      var scale = canvas.width / Math.max(1, this._bounds.getSize().x);
      var px = this.px = new Float64Array(n), py = this.py = new Float64Array(n);
      var size = zoom >= 11 ? 7 : zoom >= 9 ? 5 : 4, drawn = 0;
      for (var i = 0; i < n; i++) {
        var p = map.project([this.lat[i], this.lon[i]], zoom);
        px[i] = p.x - origin.x; py[i] = p.y - origin.y;
      }
      this.stats.projectMs = performance.now() - t0;
      var w = canvas.width, h = canvas.height;
      if (!this._image || this._image.width !== w || this._image.height !== h) {
        this._image = ctx.createImageData(w, h);
        this._pixels = new Uint32Array(this._image.data.buffer);
      }
      var buf = this._pixels, sprites = this._sprites(Math.round(size * scale));
      buf.fill(0);
      for (var o = 0; o < DRAW_ORDER.length; o++) {
        var s = DRAW_ORDER[o];
        if (!this.show[s]) { continue; }
        var set = sprites[s];
        for (var j = 0; j < n; j++) {
          if (this.state[j] !== s) { continue; }
          var x = Math.round((px[j] - min.x) * scale), y = Math.round((py[j] - min.y) * scale);
          if (x < -20 || y < -20 || x > w + 20 || y > h + 20) { continue; }
          var c = this.cog[j], sp = set[c < 0 ? 36 : Math.round(c / 10) % 36];
          var dx = sp.dx, dy = sp.dy, col = sp.col;
          drawn++;
          for (var k = 0; k < dx.length; k++) {
            var xx = x + dx[k], yy = y + dy[k];
            if (xx >= 0 && yy >= 0 && xx < w && yy < h) { buf[yy * w + xx] = col[k]; }
          }
        }
      }
      ctx.putImageData(this._image, 0, 0);
      L.Canvas.prototype._draw.call(this);
      ctx.save();
      if (this.show[0]) { // a ring around vessels in distress
        ctx.beginPath();
        for (var d = 0; d < n; d++) {
          if (this.state[d] === 0) { ctx.moveTo(px[d] + size * 3, py[d]); ctx.arc(px[d], py[d], size * 3, 0, 6.2832); }
        }
        ctx.lineWidth = 2; ctx.strokeStyle = COLOURS[0]; ctx.stroke();
      }
      var sel = this.selected === null ? undefined : this.index.get(this.selected);
      if (sel !== undefined) {
        ctx.beginPath(); ctx.arc(px[sel], py[sel], size * 3, 0, 6.2832);
        ctx.lineWidth = 2.5; ctx.strokeStyle = "#ffffff"; ctx.stroke();
      }
      ctx.restore();
      this.stats.drawn = drawn;
      this.stats.lastDrawMs = performance.now() - t0;
    },

    nearest: function (layerPoint, maxPx) {
      if (!this.px) { return null; }
      var best = null, bestD = maxPx * maxPx;
      for (var i = 0; i < this.ids.length; i++) {
        if (!this.show[this.state[i]]) { continue; }
        var dx = this.px[i] - layerPoint.x, dy = this.py[i] - layerPoint.y, d = dx * dx + dy * dy;
        if (d <= bestD) { bestD = d; best = this.ids[i]; }
      }
      return best;
    }
  });

  var fleet = {
    map: null, layer: null, bridge: null, track: null, popup: null, follow: null,

    init: function (map) {
      this.map = map;
      if (map.attributionControl) { map.attributionControl.setPrefix("Leaflet"); }  // plain text, no flag icon
      this.layer = new FleetLayer();
      map.addLayer(this.layer);
      this.track = L.polyline([], {color: "#ffd866", weight: 2.5, opacity: 0.9}).addTo(map);
      var self = this;
      map.on("click", function (e) {
        var id = self.layer.nearest(e.layerPoint, 10);
        if (id !== null) { self.select(id); }
      });
      if (typeof QWebChannel !== "undefined" && typeof qt !== "undefined") {
        new QWebChannel(qt.webChannelTransport, function (channel) {
          self.bridge = channel.objects.bridge;
          self.bridge.batch.connect(function (text) { self.applyJson(text); });
          self.bridge.command.connect(function (text) { self.run(JSON.parse(text)); });
          self.bridge.ready();
        });
      }
    },

    applyJson: function (text) {
      var t0 = performance.now();
      var message = JSON.parse(text);
      var t1 = performance.now();
      this.layer.apply(message.rows);
      var t2 = performance.now();
      this.layer.redrawNow();
      this.layer.stats.parseMs = t1 - t0;
      this.layer.stats.applyMs = t2 - t1;
      if (this.follow !== null) { this.centre(this.follow, false); }
      this.layer.stats.lastBatchMs = performance.now() - t0;
      if (this.bridge) { this.bridge.drawn(message.seq, this.layer.stats.lastBatchMs); }
    },

    position: function (id) {
      var i = this.layer.index.get(id);
      return i === undefined ? null : L.latLng(this.layer.lat[i], this.layer.lon[i]);
    },

    select: function (id) {
      this.layer.selected = id;
      this.layer.redrawNow();
      if (this.bridge) { this.bridge.select(id); }
    },

    centre: function (id, zoomIn) {
      var at = this.position(id);
      if (at === null) { return; }
      if (zoomIn) { this.map.setView(at, Math.max(this.map.getZoom(), 11)); } else { this.map.panTo(at, {animate: false}); }
    },

    run: function (cmd) {
      if (cmd.op === "filter") {
        for (var s = 0; s < STATES.length; s++) { this.layer.show[s] = cmd.states.indexOf(STATES[s]) >= 0; }
        this.layer.redrawNow();
      } else if (cmd.op === "centre") {
        this.layer.selected = cmd.id;
        this.centre(cmd.id, true);
        this.layer.redrawNow();
      } else if (cmd.op === "follow") {
        this.follow = cmd.id || null;
        if (this.follow !== null) {  // the followed vessel is ringed like a selected one
          this.layer.selected = this.follow;
          this.centre(this.follow, true);
          this.layer.redrawNow();
        }
      } else if (cmd.op === "details") {
        this.track.setLatLngs(cmd.track);
        var at = this.position(cmd.id);
        if (at !== null) {
          this.popup = L.popup({maxWidth: 360, autoPan: true}).setLatLng(at).setContent(cmd.html).openOn(this.map);
        }
      } else if (cmd.op === "clear") {
        this.track.setLatLngs([]);
        this.layer.selected = null;
        this.map.closePopup();
        this.layer.redrawNow();
      }
    }
  };
  window.fleet = fleet;
})();
