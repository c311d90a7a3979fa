'use strict';
// The admin page of one gateway instance: reads /status every second, shows its clients,
// namespaces and delivery rate (and the cluster, when the status has one), and publishes test
// events through POST /broadcast. Everything from the server is written with textContent,
// never as HTML: namespaces, ids and remotes come from clients.

(() => {
  const POLL_MS = 1000;
  const TOKEN_KEY = 'sse-gateway-admin-token';

  const $ = (id) => document.getElementById(id);
  const token = takeToken();
  let previous = null;

  /**
   * The token the page was opened with (?access_token= or #access_token=), kept for this tab
   * and taken out of the address bar so it does not stay in history or get copied with the URL.
   * Reloads are signed in by the cookie the server set.
   */
  function takeToken() {
    const url = new URL(location.href);
    const given = url.searchParams.get('access_token')
      || new URLSearchParams(url.hash.slice(1)).get('access_token');
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given);
      url.searchParams.delete('access_token');
      history.replaceState(null, '', url.pathname + url.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function bearer(key) {
    return key ? { Authorization: 'Bearer ' + key } : {};
  }

  async function poll() {
    try {
      const response = await fetch('/status', { headers: bearer(token), cache: 'no-store' });
      if (response.ok) {
        render(await response.json());
        showProblem(null);
      } else {
        showProblem(`/status answered ${response.status}: ${await reason(response)}`);
      }
    } catch (e) {
      showProblem('The gateway cannot be reached: ' + e.message);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  async function reason(response) {
    const text = await response.text();
    try {
      return JSON.parse(text).message || text;
    } catch (e) {
      return text;
    }
  }

  function showProblem(text) {
    $('problem').hidden = !text;
    $('problem').textContent = text || '';
  }

  function render(status) {
    $('instance').textContent = status.instance;
    const broker = $('broker');
    broker.textContent = `${status.broker} broker ${status.brokerHealthy ? 'healthy' : 'unhealthy'}`;
    broker.className = 'badge ' + (status.brokerHealthy ? 'good' : 'bad');
    $('draining').hidden = !status.draining;
    $('uptime').textContent = 'up ' + duration(status.uptimeSeconds);

    $('client-count').textContent = status.clientCount;
    $('subscriptions').textContent = status.subscriptions;
    $('delivered').textContent = status.eventsDelivered;
    $('slow').textContent = status.slowClientsDisconnected;
    $('delivery-rate').textContent = deliveryRate(status.eventsDelivered);

    renderClients(Object.values(status.clients || {}));
    fillTable($('namespaces'), Object.entries(status.namespaces || {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([namespace, count]) => [code(namespace), { text: count, number: true }]), 'no subscriptions');
    renderCluster(status.cluster);
    $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  }

  /** Events delivered per second since the previous poll (blank on the first one). */
  function deliveryRate(delivered) {
    const now = performance.now();
    const rate = previous && now > previous.at
      ? ((delivered - previous.delivered) * 1000 / (now - previous.at)).toFixed(1)
      : '–';
    previous = { at: now, delivered };
    return rate;
  }

  function renderClients(clients) {
    clients.sort((a, b) => a.connectedAt.localeCompare(b.connectedAt));
    fillTable($('clients'), clients.map((c) => [
      code(c.remote),
      c.endpoint,
      (c.namespaces || []).join(', ') || '–',
      c.lastEventId ? code(c.lastEventId) : '–',
      { text: duration((Date.now() - Date.parse(c.connectedAt)) / 1000) + ' ago', title: c.connectedAt },
    ]), 'no clients connected');
  }

  /**
   * The cluster view, whatever its shape: plain values as totals, and each list (or map) of
   * records as a table with a column per field.
   */
  function renderCluster(cluster) {
    $('cluster').hidden = !cluster;
    if (!cluster) {
      return;
    }
    const totals = $('cluster-totals');
    const tables = $('cluster-tables');
    totals.replaceChildren();
    tables.replaceChildren();
    for (const [key, value] of Object.entries(cluster)) {
      if (value === null || typeof value !== 'object') {
        totals.append(element('dt', key), element('dd', String(value)));
        continue;
      }
      const records = Array.isArray(value) ? value : Object.values(value);
      const columns = [...new Set(records.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))]
        .sort((a, b) => (b === 'id') - (a === 'id'));
      const table = element('table');
      const head = element('tr');
      columns.forEach((c) => head.append(element('th', c)));
      table.append(element('caption', key), element('thead'), element('tbody'));
      table.tHead.append(head);
      fillTable(table, records.map((r) => columns.map((c) => cell(r[c]))), 'none');
      tables.append(table);
    }
  }

  function cell(value) {
    return value === null || value === undefined ? '–' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  /** Replaces a table's body; a cell is text, a node, or {text, title, number}. */
  function fillTable(table, rows, emptyText) {
    const body = table.tBodies[0];
    if (rows.length === 0) {
      const td = element('td', emptyText);
      td.colSpan = table.tHead.rows[0].cells.length;
      td.className = 'empty';
      body.replaceChildren(wrap('tr', td));
      return;
    }
    body.replaceChildren(...rows.map((cells) => wrap('tr', ...cells.map((c) => {
      const td = element('td');
      if (c instanceof Node) {
        td.append(c);
      } else if (c !== null && typeof c === 'object') {
        td.textContent = c.text;
        td.title = c.title || '';
        td.className = c.number ? 'number' : '';
      } else {
        td.textContent = c;
      }
      return td;
    }))));
  }

  function element(tag, text) {
    const e = document.createElement(tag);
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function wrap(tag, ...children) {
    const e = element(tag);
    e.append(...children);
    return e;
  }

  function code(text) {
    return element('code', text);
  }

  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  }

  async function publish(event) {
    event.preventDefault();
    const result = $('publish-result');
    const body = {
      namespace: $('publish-namespace').value.trim() || '/',
      event: $('publish-event').value.trim() || 'message',
      data: $('publish-data').value,
    };
    const key = $('publish-token').value.trim() || token;
    result.className = '';
    result.textContent = 'Publishing…';
    try {
      const response = await fetch('/broadcast', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...bearer(key) },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        const answer = await response.json();
        result.className = 'good';
        result.textContent = `Published ${answer.id} to ${answer.namespaces.join(', ')}`;
      } else {
        result.className = 'bad';
        result.textContent = `Refused (${response.status}): ${await reason(response)}`;
      }
    } catch (e) {
      result.className = 'bad';
      result.textContent = 'Not sent: ' + e.message;
    }
  }

  // Without a token of its own (opened by cookie, or public), the page asks for one to publish.
  $('publish-token-label').hidden = Boolean(token);
  $('publish').addEventListener('submit', publish);
  poll();
})();
