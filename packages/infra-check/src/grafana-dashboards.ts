// The Grafana dashboards in infra/grafana/dashboards/, made from the metrics the services export
// (packages/platform/src/metrics and each service's own): one overview, one per service and the
// booking funnel. `pnpm --filter @triphub/infra-check dashboards` writes them; a test checks the
// committed files are what this makes, and the devstack's metrics test that every metric a panel
// queries is exported.

/** A Grafana panel: a time series or a stat over PromQL targets. */
export interface Panel {
  id: number;
  type: "timeseries" | "stat";
  title: string;
  description?: string;
  datasource: typeof DATASOURCE;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { refId: string; expr: string; legendFormat?: string }[];
  fieldConfig: { defaults: { unit: string }; overrides: [] };
}

/** The part of Grafana's dashboard model these use (schemaVersion 39). */
export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: 39;
  time: { from: string; to: string };
  refresh: string;
  panels: Panel[];
  templating: { list: [] };
}

const DATASOURCE = { type: "prometheus", uid: "prometheus" } as const;

/** Server-side faults, as the SLO rules count them (infra/prometheus/rules/slo-recording.yaml). */
const FAULTS = 'code=~"Unknown|Internal|Unavailable|DataLoss|DeadlineExceeded"';

type PanelSpec = { title: string; unit: string; exprs: [expr: string, legend: string][]; description?: string; stat?: boolean };

function layout(uid: string, title: string, tags: string[], specs: PanelSpec[]): Dashboard {
  const panels = specs.map((p, i): Panel => ({
    id: i + 1,
    type: p.stat ? "stat" : "timeseries",
    title: p.title,
    ...(p.description ? { description: p.description } : {}),
    datasource: DATASOURCE,
    // Two panels a row, 8 units high.
    gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
    targets: p.exprs.map(([expr, legendFormat], j) => ({ refId: String.fromCharCode(65 + j), expr, legendFormat })),
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
  }));
  return { uid, title, tags: ["triphub", ...tags], schemaVersion: 39, time: { from: "now-6h", to: "now" }, refresh: "30s", panels, templating: { list: [] } };
}

/** RED of the RPCs one proto service (or every one, for `.+`) answers. */
function red(service: string): PanelSpec[] {
  const sel = `service=~"${service}"`;
  return [
    { title: "Requests by code", unit: "reqps", exprs: [[`sum by (code) (rate(triphub_rpc_server_requests_total{${sel}}[5m]))`, "{{code}}"]] },
    {
      title: "Server faults (share)",
      unit: "percentunit",
      description: "Unknown, Internal, Unavailable, DataLoss, DeadlineExceeded: what the availability SLO counts.",
      exprs: [[`sum(rate(triphub_rpc_server_requests_total{${sel},${FAULTS}}[5m])) / sum(rate(triphub_rpc_server_requests_total{${sel}}[5m]))`, "faults"]],
    },
    {
      title: "Latency p50 / p99 (unary)",
      unit: "s",
      exprs: [
        [`histogram_quantile(0.5, sum by (le) (rate(triphub_rpc_server_duration_seconds_bucket{${sel}}[5m])))`, "p50"],
        [`histogram_quantile(0.99, sum by (le) (rate(triphub_rpc_server_duration_seconds_bucket{${sel}}[5m])))`, "p99"],
      ],
    },
    { title: "Slowest methods (p99)", unit: "s", exprs: [[`topk(5, histogram_quantile(0.99, sum by (method, le) (rate(triphub_rpc_server_duration_seconds_bucket{${sel}}[5m]))))`, "{{method}}"]] },
    { title: "Calls in flight", unit: "short", exprs: [[`sum by (method) (triphub_rpc_server_in_flight{${sel}})`, "{{method}}"]] },
  ];
}

/** The process and its database pool. */
function runtime(pool: string): PanelSpec[] {
  return [
    {
      title: "Database pool",
      unit: "short",
      exprs: [
        [`sum(triphub_db_queries_active{pool="${pool}"})`, "statements running"],
        [`sum(triphub_db_pool_max_connections{pool="${pool}"})`, "pool size"],
      ],
    },
    { title: "Event-loop lag (p99)", unit: "s", exprs: [["max(nodejs_eventloop_lag_p99_seconds)", "p99"]] },
  ];
}

const feeds = (feed: string): PanelSpec[] => [
  { title: `Consumer lag: ${feed}`, unit: "s", exprs: [[`max by (feed) (triphub_event_consumer_lag_seconds{feed=~"${feed}"})`, "{{feed}}"]] },
  { title: `Consumer connected: ${feed}`, unit: "short", exprs: [[`sum by (feed) (triphub_event_consumer_connected{feed=~"${feed}"})`, "{{feed}}"]] },
];

const outbox: PanelSpec[] = [
  { title: "Outbox: events published", unit: "ops", exprs: [["sum by (feed) (rate(triphub_outbox_events_published_total[5m]))", "{{feed}}"]] },
  { title: "Outbox: publish delay p99", unit: "s", exprs: [["histogram_quantile(0.99, sum by (feed, le) (rate(triphub_outbox_publish_delay_seconds_bucket[5m])))", "{{feed}}"]] },
];

/** What each service adds to its RED and runtime panels. */
const SERVICES: { name: string; proto: string; extra: PanelSpec[] }[] = [
  { name: "auth", proto: "triphub.auth.v1.AuthService", extra: [] },
  {
    name: "accommodation",
    proto: "triphub.accommodation.v1.AccommodationService",
    extra: [
      {
        title: "Holds created and expired",
        unit: "ops",
        exprs: [
          ["sum(rate(triphub_holds_created_total[5m]))", "created"],
          ["sum(rate(triphub_holds_expired_total[5m]))", "expired"],
        ],
      },
      { title: "Oldest lapsed hold not yet swept", unit: "s", exprs: [["max(triphub_holds_lapsed_oldest_seconds)", "oldest"]] },
      { title: "Cache results", unit: "ops", exprs: [['sum by (result) (rate(triphub_cache_requests_total{cache="accommodation"}[5m]))', "{{result}}"]] },
      ...feeds(".*review.*"),
    ],
  },
  {
    name: "payment",
    proto: "triphub.payment.v1.PaymentService",
    extra: [
      { title: "Provider requests by outcome", unit: "ops", exprs: [["sum by (operation, outcome) (rate(triphub_payment_provider_requests_total[5m]))", "{{operation}} {{outcome}}"]] },
      { title: "Provider latency p99", unit: "s", exprs: [["histogram_quantile(0.99, sum by (operation, le) (rate(triphub_payment_provider_duration_seconds_bucket[5m])))", "{{operation}}"]] },
    ],
  },
  {
    name: "reservation",
    proto: "triphub.reservation.v1.ReservationService",
    extra: [
      { title: "Saga steps by outcome", unit: "ops", exprs: [["sum by (step, kind, outcome) (rate(triphub_saga_steps_total[5m]))", "{{kind}} {{step}} {{outcome}}"]] },
      {
        title: "Sagas waiting",
        unit: "short",
        exprs: [
          ["max(triphub_sagas_backing_off)", "backing off"],
          ["max(triphub_saga_oldest_due_seconds)", "oldest due (s)"],
        ],
      },
      { title: "Saga step latency p99", unit: "s", exprs: [["histogram_quantile(0.99, sum by (step, le) (rate(triphub_saga_step_duration_seconds_bucket[5m])))", "{{step}}"]] },
      ...outbox,
    ],
  },
  { name: "review", proto: "triphub.review.v1.ReviewService", extra: [...feeds(".*reservation.*")] },
  { name: "config", proto: "triphub.config.v1.ConfigService", extra: [] },
];

const gatewayPanels: PanelSpec[] = [
  { title: "Requests by status class", unit: "reqps", exprs: [["sum by (status_class) (rate(triphub_gateway_requests_total[5m]))", "{{status_class}}"]] },
  {
    title: "5xx share",
    unit: "percentunit",
    exprs: [['sum(rate(triphub_gateway_requests_total{status_class="5xx"}[5m])) / sum(rate(triphub_gateway_requests_total[5m]))', "5xx"]],
  },
  {
    title: "Latency p99 by route",
    unit: "s",
    exprs: [["topk(8, histogram_quantile(0.99, sum by (route, le) (rate(triphub_gateway_request_duration_seconds_bucket[5m]))))", "{{route}}"]],
  },
  { title: "429s (rate limits)", unit: "reqps", exprs: [['sum by (route) (rate(triphub_gateway_requests_total{status_class="4xx"}[5m]))', "{{route}}"]], description: "Every 4xx by route; the rate limiter's 429s are among them." },
];

/** Every dashboard, by file name. */
export function dashboards(): Record<string, Dashboard> {
  const out: Record<string, Dashboard> = {
    "overview.json": layout("triphub-overview", "TripHub: overview", ["overview"], [
      ...gatewayPanels.slice(0, 2),
      { title: "RPC server faults by service", unit: "reqps", exprs: [[`sum by (service) (rate(triphub_rpc_server_requests_total{${FAULTS}}[5m]))`, "{{service}}"]] },
      { title: "RPC p99 by service", unit: "s", exprs: [["histogram_quantile(0.99, sum by (service, le) (rate(triphub_rpc_server_duration_seconds_bucket[5m])))", "{{service}}"]] },
      { title: "Consumer lag by feed", unit: "s", exprs: [["max by (feed) (triphub_event_consumer_lag_seconds)", "{{feed}}"]] },
      { title: "Periodic jobs failing", unit: "ops", exprs: [['sum by (task) (rate(triphub_periodic_job_runs_total{outcome!="ok"}[15m]))', "{{task}}"]] },
      { title: "Certificates: days left", unit: "d", exprs: [["min by (certificate) (triphub_tls_certificate_expiry_timestamp_seconds - time()) / 86400", "{{certificate}}"]] },
      { title: "Resident memory", unit: "bytes", exprs: [["sum(process_resident_memory_bytes)", "all processes"]] },
    ]),
    "gateway.json": layout("triphub-gateway", "TripHub: gateway", ["service"], [...gatewayPanels, ...runtime("gateway").slice(1)]),
    "booking-funnel.json": layout("triphub-booking-funnel", "TripHub: booking funnel", ["funnel"], [
      {
        title: "Searches, bookings asked, holds, payments authorized",
        unit: "ops",
        description: "Each step of a booking, per second: how many searches turn into a booking and where bookings are lost.",
        exprs: [
          ['sum(rate(triphub_rpc_server_requests_total{method="SearchAccommodations",code="OK"}[15m]))', "searches"],
          ['sum(rate(triphub_rpc_server_requests_total{method="CreateReservation",code="OK"}[15m]))', "bookings asked"],
          ['sum(rate(triphub_saga_steps_total{step="hold",kind="forward",outcome="done"}[15m]))', "rooms held"],
          ['sum(rate(triphub_payment_provider_requests_total{operation="authorize",outcome="approved"}[15m]))', "cards authorized"],
          ['sum(rate(triphub_payment_provider_requests_total{operation="capture",outcome="approved"}[15m]))', "captured (confirmed)"],
        ],
      },
      {
        title: "Bookings lost: declines and compensations",
        unit: "ops",
        exprs: [
          ['sum(rate(triphub_payment_provider_requests_total{operation="authorize",outcome="declined"}[15m]))', "cards declined"],
          ['sum by (step) (rate(triphub_saga_steps_total{kind="compensation"}[15m]))', "compensation: {{step}}"],
          ["sum(rate(triphub_holds_expired_total[15m]))", "holds expired"],
        ],
      },
      {
        title: "Search to booking (share)",
        unit: "percentunit",
        stat: true,
        exprs: [
          [
            'sum(increase(triphub_rpc_server_requests_total{method="CreateReservation",code="OK"}[1h])) / sum(increase(triphub_rpc_server_requests_total{method="SearchAccommodations",code="OK"}[1h]))',
            "last hour",
          ],
        ],
      },
      {
        title: "Booking latency p99 (CreateReservation)",
        unit: "s",
        exprs: [['histogram_quantile(0.99, sum by (le) (rate(triphub_rpc_server_duration_seconds_bucket{method="CreateReservation"}[5m])))', "p99"]],
      },
    ]),
  };
  for (const s of SERVICES) {
    out[`${s.name}.json`] = layout(`triphub-${s.name}`, `TripHub: ${s.name}`, ["service"], [...red(s.proto), ...runtime(s.name), ...s.extra]);
  }
  return out;
}

/** Every PromQL expression of a dashboard. */
export const exprsOf = (d: Dashboard): string[] => d.panels.flatMap((p) => p.targets.map((t) => t.expr));
