-- Data at scale for ./build.sh bench --scale (issue 11, item 4): run by bench/run.sh with psql on a migrated
-- database that the app has seeded with the demo data (it needs webmaster1, the demo shops and categories).
--   psql -v clicks=10000000 [-v orders=100000 -v items=100000 -v webmasters=1000 -v days=90] -f bench/generate.sql
-- Set-based: one INSERT … SELECT over generate_series per table, in one transaction.
--
-- What it loads, over the last :days days:
--   :webmasters webmasters (users with the Webmaster role and no password: nobody signs in as them), one
--   approved site each with two zones and five links; 100 more links on webmaster1's demo site;
--   :items listed items in the demo shops and categories (Chinese titles, one in ten a 手机);
--   :clicks clicks, spread evenly over the days, HALF of them on webmaster1 (the worst case for its reports),
--   each copying its link's webmaster, site, zone, item and shop and the rates in force, 3 % invalid;
--   :orders orders from a sample of the valid clicks, paid within three days after the click (never in the
--   future), one line each, attributed to that click, with their commission — state Paid / Pending, the
--   state right after an order is paid — and the commission's accrual entry in the ledger
--   (Postings.CommissionAccrued: the seller's commission due −commission, platform revenue +fee,
--   webmaster pending +share), so every journal entry balances (the ledger's deferred trigger checks each
--   one at commit) and balances add up. Nothing is settled: settlement would also move the sellers'
--   wallets, which the CPC scenarios use.
-- The clicks' secondary indexes and foreign keys are dropped for the load and created again after it (the
-- foreign keys re-validated as a whole): building an index once is far cheaper than 10 million random
-- inserts into it, and a foreign key checked per row costs a lookup per row. Triggers stay on, but for the
-- clicks' rollup trigger (migration ReportRollups): it would keep all the loaded clicks in its transition table;
-- the rollups are computed again from the whole clicks table after the load instead (rebuild_click_rollups(),
-- the migration's own backfill), so the reports read rollups that match the clicks. The same for the orders',
-- lines' and commissions' rollup triggers (migration SaleRollups): off for the load, rebuild_sale_rollups() after.
\set ON_ERROR_STOP on
\if :{?clicks}
\else
  \set clicks 10000000
\endif
\if :{?orders}
\else
  \set orders 100000
\endif
\if :{?items}
\else
  \set items 100000
\endif
\if :{?webmasters}
\else
  \set webmasters 1000
\endif
\if :{?days}
\else
  \set days 90
\endif
\timing on

BEGIN;
-- Webmasters: users (no password), the Webmaster role, one approved site with two zones each.
INSERT INTO users (display_name, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed,
                   security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
SELECT format('站长 %s', g), now() - make_interval(days => :days + 1),
       format('bench-wm%s@bench.local', g), upper(format('bench-wm%s@bench.local', g)),
       format('bench-wm%s@bench.local', g), upper(format('bench-wm%s@bench.local', g)), true,
       md5('stamp' || g), md5('concurrency' || g), false, false, true, 0
FROM generate_series(1, :webmasters) g;

INSERT INTO user_roles (user_id, role_id)
SELECT u.id, r.id FROM users u, roles r WHERE u.email LIKE 'bench-wm%@bench.local' AND r.name = 'Webmaster';

INSERT INTO webmasters (user_id, created_at)
SELECT id, created_at FROM users WHERE email LIKE 'bench-wm%@bench.local';

INSERT INTO sites (webmaster_id, name, url, category_id, claimed_daily_visitors, description, verification_token, verified_at, state, created_at)
SELECT w.id, format('测试站点 %s', w.id), format('https://site%s.bench.example', w.id),
       (SELECT id FROM categories ORDER BY id OFFSET (w.id % (SELECT count(*) FROM categories)) LIMIT 1),
       1000 + (w.id % 50) * 200, '生成的测试站点 (bench/generate.sql)', md5('verify' || w.id), w.created_at, 'Approved', w.created_at
FROM webmasters w JOIN users u ON u.id = w.user_id
WHERE u.email LIKE 'bench-wm%@bench.local';

INSERT INTO ad_zones (site_id, name, is_smart, created_at)
SELECT s.id, z.name, false, s.created_at
FROM sites s CROSS JOIN (VALUES ('侧边栏 Sidebar'), ('文末推荐 Article footer')) AS z(name)
WHERE s.url LIKE 'https://site%.bench.example';

-- Items: in the demo shops, category and picture borrowed from a demo item so they agree.
CREATE TEMP TABLE demo_items AS SELECT row_number() OVER (ORDER BY id) AS n, category_id, image_url FROM items;
CREATE TEMP TABLE first_new_item AS SELECT coalesce(max(id), 0) + 1 AS id FROM items;
-- Explicit ids (the next ones of the identity, set after), so links can name items by number.
INSERT INTO items (id, shop_id, category_id, title_zh, title_en, price_fen, commission_rate_bp, monthly_sales, image_url, is_listed, created_at, updated_at)
SELECT f.id + g - 1, shop_ids[1 + g % cardinality(shop_ids)], d.category_id,
       format('%s %s %s 型号%s', (ARRAY['华为','小米','苹果','荣耀','联想','美的','李宁','良品铺子','安踏','欧莱雅'])[1 + g % 10],
              (ARRAY['手机','蓝牙耳机','充电宝','平板电脑','智能手表','电饭煲','运动鞋','零食礼包','连衣裙','面膜'])[1 + (g / 10) % 10],
              (ARRAY['旗舰款','新款','官方正品','限量版','青春版'])[1 + (g / 100) % 5], g),
       format('Generated item %s', g),
       1000 + (g * 7919) % 200000, 100 + (g * 31) % 2900, (g * 13) % 5000, d.image_url, true,
       now() - make_interval(days => :days + 1), now() - make_interval(days => :days + 1)
FROM generate_series(1, :items) g
CROSS JOIN first_new_item f
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS shop_ids FROM shops) sh
JOIN demo_items d ON d.n = 1 + g % (SELECT count(*) FROM demo_items);
SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items));

-- Links: five per generated site (over its two zones), 100 more on webmaster1's demo site; numbered for the clicks.
INSERT INTO links (code, webmaster_id, site_id, zone_id, item_id, is_paused, created_at)
SELECT format('bz%s', lpad(to_hex(z.id * 8 + k), 10, '0')), s.webmaster_id, s.id, z.id,
       (SELECT id FROM first_new_item) + (z.id * 8 + k) % :items, false, s.created_at
FROM ad_zones z JOIN sites s ON s.id = z.site_id
CROSS JOIN generate_series(0, 2) k
WHERE s.url LIKE 'https://site%.bench.example' AND (k < 2 OR z.name LIKE '侧边栏%');

INSERT INTO links (code, webmaster_id, site_id, zone_id, item_id, is_paused, created_at)
SELECT format('bw%s', lpad(to_hex(k), 10, '0')), l.webmaster_id, l.site_id, l.zone_id,
       (SELECT id FROM first_new_item) + k * 997 % :items, false, now() - make_interval(days => :days + 1)
FROM (SELECT webmaster_id, site_id, zone_id FROM links WHERE code = 'gF7kQ2xA') l
CROSS JOIN generate_series(1, 100) k;

CREATE TEMP TABLE click_links AS
SELECT row_number() OVER (PARTITION BY (l.webmaster_id = wm1.webmaster_id) ORDER BY l.id) - 1 AS n,
       l.webmaster_id = wm1.webmaster_id AS on_webmaster1,
       l.id AS link_id, l.webmaster_id, l.site_id, l.zone_id, l.item_id, i.shop_id,
       coalesce(i.commission_rate_bp, 0) AS item_rate_bp, sh.general_rate_bp AS shop_rate_bp, s.url AS referrer
FROM links l
JOIN items i ON i.id = l.item_id
JOIN shops sh ON sh.id = i.shop_id
JOIN sites s ON s.id = l.site_id
CROSS JOIN (SELECT webmaster_id FROM links WHERE code = 'gF7kQ2xA') wm1
WHERE NOT l.is_paused AND s.state = 'Approved';
CREATE INDEX ON click_links (on_webmaster1, n);
ANALYZE click_links;

-- Clicks: a partition for every day loaded (clicks is partitioned by China day; the same function the app's
-- ClickPartitions calls, so nothing lands in the default partition), then drop the secondary indexes and
-- foreign keys, load, build them again. On the partitioned table pg_indexes shows each index as
-- "ON ONLY clicks" (the parent alone): without ONLY, one CREATE INDEX builds it on every partition again.
SELECT count(*) AS click_partitions_created
FROM ensure_click_partitions(((now() AT TIME ZONE 'UTC') + interval '8 hours' - make_interval(days => :days + 1))::date,
                             ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date + 7);
CREATE TEMP TABLE clicks_ddl AS
SELECT 1 AS step, format('DROP INDEX %I', indexname) AS drop_sql, replace(indexdef, ' ON ONLY ', ' ON ') AS create_sql
FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'clicks'
  AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'clicks'::regclass AND contype IN ('p', 'u'))
UNION ALL
SELECT 0, format('ALTER TABLE clicks DROP CONSTRAINT %I', conname), format('ALTER TABLE clicks ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
FROM pg_constraint WHERE conrelid = 'clicks'::regclass AND contype = 'f';
DO $$ DECLARE d record; BEGIN FOR d IN SELECT drop_sql FROM clicks_ddl ORDER BY step LOOP EXECUTE d.drop_sql; END LOOP; END $$;
ALTER TABLE clicks DISABLE TRIGGER clicks_add_to_rollups;

-- Click g happens at now() − days + g·(days / clicks): in order of time, so the UUIDv7 keys (time first, as
-- the app makes them) arrive in order. Odd g on webmaster1's links, even g on everyone else's.
INSERT INTO clicks (id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash,
                    user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id)
SELECT (lpad(to_hex((extract(epoch FROM c.at) * 1000)::bigint), 12, '0') || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
       c.at, l.link_id, l.webmaster_id, l.site_id, l.zone_id, l.item_id, l.shop_id,
       md5('visitor' || (g % 3000000))::uuid, sha256(('ip' || (g % 500000))::bytea),
       'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
       l.referrer, g % 33 <> 0, CASE WHEN g % 33 = 0 THEN 'ip_rate_limit' END, l.item_rate_bp, l.shop_rate_bp, NULL
FROM generate_series(1, :clicks) g
CROSS JOIN (SELECT count(*) FILTER (WHERE on_webmaster1) AS mine, count(*) FILTER (WHERE NOT on_webmaster1) AS others FROM click_links) k
CROSS JOIN LATERAL (SELECT now() - make_interval(days => :days) + make_interval(secs => g * (:days * 86400.0 / :clicks)) AS at, md5('click' || g) AS h) c
JOIN click_links l ON l.on_webmaster1 = (g % 2 = 1)
  AND l.n = g / 2 % CASE WHEN g % 2 = 1 THEN k.mine ELSE k.others END;

ALTER TABLE clicks ENABLE TRIGGER clicks_add_to_rollups;
SELECT rebuild_click_rollups();
DO $$ DECLARE d record; BEGIN FOR d IN SELECT create_sql FROM clicks_ddl ORDER BY step DESC LOOP EXECUTE d.create_sql; END LOOP; END $$;

-- Orders from a sample of the valid clicks spread over the whole period (a little more than needed, then
-- cut), one line each, and their commissions; only sales whose commission is at least 10 fen (1 fen of fee).
CREATE TEMP TABLE sold AS
SELECT row_number() OVER () AS n, c.id AS click_id, c.visitor_id, c.webmaster_id, c.site_id, c.item_id, c.shop_id, sh.seller_id,
       i.price_fen, 1 + (hashtext(c.id::text) & 2147483647) % 3 AS quantity,
       CASE WHEN c.item_rate_bp > 0 THEN c.item_rate_bp ELSE c.shop_rate_bp END AS rate_bp,
       CASE WHEN c.item_rate_bp > 0 THEN 'clicked_item' ELSE 'shop_general' END AS rate_kind,
       least(now(), c.occurred_at + make_interval(mins => (hashtext(c.id::text) & 2147483647) % 4320)) AS paid_at
FROM clicks c TABLESAMPLE BERNOULLI (least(100, 110.0 * :orders / :clicks)) REPEATABLE (11)
JOIN items i ON i.id = c.item_id
JOIN shops sh ON sh.id = c.shop_id
WHERE c.is_valid AND i.price_fen * CASE WHEN c.item_rate_bp > 0 THEN c.item_rate_bp ELSE c.shop_rate_bp END >= 100000
LIMIT :orders;

-- The sale rollups' row triggers (migration SaleRollups) would upsert once per row; they are off for the load and
-- the rollups computed again from the loaded rows after it, as for the clicks.
ALTER TABLE orders DISABLE TRIGGER orders_add_to_rollups;
ALTER TABLE order_lines DISABLE TRIGGER order_lines_add_to_rollups;
ALTER TABLE commissions DISABLE TRIGGER commissions_add_to_rollups;
ALTER TABLE commissions DISABLE TRIGGER commissions_add_to_site_rollup;

INSERT INTO orders (shop_id, external_order_id, source, buyer_ref, visitor_id, attributed_click_id, attribution_note, state, paid_at, created_at)
SELECT shop_id, format('bench-%s', n), 'OrdersApi', format('bench-buyer-%s', n % 50000), visitor_id, click_id,
       'Generated by bench/generate.sql: attributed to the click it was made from.', 'Paid', paid_at, paid_at
FROM sold;

INSERT INTO order_lines (order_id, item_id, quantity, paid_fen, refunded_quantity, refunded_fen)
SELECT o.id, s.item_id, s.quantity, s.price_fen * s.quantity, 0, 0
FROM sold s JOIN orders o ON o.shop_id = s.shop_id AND o.external_order_id = format('bench-%s', s.n);

-- CommissionRules: paid × rate, the platform's fee (10 %) out of it, the rest to the webmaster (amounts floored here).
INSERT INTO commissions (order_line_id, order_id, webmaster_id, click_id, site_id, rate_bp, rate_kind, platform_fee_bp, subsidy_bonus_bp,
                         base_fen, commission_fen, platform_fee_fen, webmaster_fen, subsidy_fen, refunded_base_fen, state, explanation, created_at)
SELECT ol.id, o.id, s.webmaster_id, s.click_id, s.site_id, s.rate_bp, s.rate_kind, 1000, 0,
       a.base, a.commission, a.fee, a.commission - a.fee, 0, 0, 'Pending',
       format('%s × %s bp = %s fen (generated by bench/generate.sql)', a.base, s.rate_bp, a.commission), o.paid_at
FROM sold s
JOIN orders o ON o.shop_id = s.shop_id AND o.external_order_id = format('bench-%s', s.n)
JOIN order_lines ol ON ol.order_id = o.id
CROSS JOIN LATERAL (SELECT ol.paid_fen AS base, ol.paid_fen * s.rate_bp / 10000 AS commission, ol.paid_fen * s.rate_bp / 10000 * 1000 / 10000 AS fee) a;

ALTER TABLE orders ENABLE TRIGGER orders_add_to_rollups;
ALTER TABLE order_lines ENABLE TRIGGER order_lines_add_to_rollups;
ALTER TABLE commissions ENABLE TRIGGER commissions_add_to_rollups;
ALTER TABLE commissions ENABLE TRIGGER commissions_add_to_site_rollup;
SELECT rebuild_sale_rollups();

-- Paid clicks (issue 14): one in 50 valid clicks was a smart-zone ad click of one of the demo campaigns, nine in ten
-- of them charged ¥0.20–¥0.60 (the webmaster's share half of it), the rest free repeats; about 40 views per paid click
-- (a 2.5 % click-through rate). The charges' statement trigger is off for the load (one transition table of them all),
-- and the economics rollups are built from the loaded rows after it (rebuild_economics_rollups(), the migration's
-- backfill, also of commission_day_sites); the views are written into the rebuilt rows, as the impression flush would.
ALTER TABLE cpc_charges DISABLE TRIGGER cpc_charges_add_to_rollups;
INSERT INTO cpc_charges (campaign_id, click_id, impression_id, zone_id, webmaster_id, price_fen, webmaster_share_fen, platform_margin_fen,
                         outcome, day, charged_at)
SELECT k.campaign_id, c.id, md5('impression' || c.id::text)::uuid, c.zone_id, c.webmaster_id, p.price, p.price / 2, p.price - p.price / 2,
       p.outcome, (c.occurred_at AT TIME ZONE INTERVAL '8 hours')::date, c.occurred_at
FROM clicks c TABLESAMPLE BERNOULLI (2) REPEATABLE (14)
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM campaigns) cs
CROSS JOIN LATERAL (SELECT hashtext(c.id::text) & 2147483647 AS h) x
CROSS JOIN LATERAL (SELECT cs.ids[1 + x.h % array_length(cs.ids, 1)] AS campaign_id) k
CROSS JOIN LATERAL (SELECT CASE WHEN x.h % 10 = 0 THEN 'RepeatFree' ELSE 'Charged' END AS outcome) o
CROSS JOIN LATERAL (SELECT o.outcome, CASE WHEN o.outcome = 'Charged' THEN 20 + x.h / 10 % 41 ELSE 0 END AS price) p
-- A click the bench itself paid for already has its charge (click_id is unique): only the others get one.
WHERE c.is_valid AND cs.ids IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cpc_charges x WHERE x.click_id = c.id);
ALTER TABLE cpc_charges ENABLE TRIGGER cpc_charges_add_to_rollups;
SELECT rebuild_economics_rollups();
UPDATE cpc_day_zones SET impressions = paid_clicks * 40;

-- The accrual entries: accounts first (one per kind and owner), then one entry per order and its lines.
INSERT INTO ledger_accounts (kind, seller_id, webmaster_id)
SELECT DISTINCT 'SellerCommissionDue', seller_id, NULL::bigint FROM sold
UNION SELECT DISTINCT 'WebmasterPending', NULL::bigint, webmaster_id FROM sold
UNION SELECT 'PlatformRevenue', NULL::bigint, NULL::bigint
ON CONFLICT DO NOTHING;

INSERT INTO journal_entries (occurred_at, kind, description, idempotency_key, order_id)
SELECT c.created_at, 'commission.accrued', format('Commission accrued on order %s', c.order_id), format('order:%s:accrued', c.order_id), c.order_id
FROM commissions c JOIN orders o ON o.id = c.order_id
WHERE o.external_order_id LIKE 'bench-%';

INSERT INTO journal_lines (entry_id, account_id, amount_fen)
SELECT e.id, a.id, line.amount
FROM journal_entries e
JOIN commissions c ON c.order_id = e.order_id
JOIN orders o ON o.id = c.order_id
JOIN shops sh ON sh.id = o.shop_id
CROSS JOIN LATERAL (VALUES ('SellerCommissionDue', sh.seller_id, NULL::bigint, -c.commission_fen),
                           ('PlatformRevenue', NULL, NULL, c.platform_fee_fen),
                           ('WebmasterPending', NULL, c.webmaster_id, c.webmaster_fen)) AS line(kind, seller_id, webmaster_id, amount)
JOIN ledger_accounts a ON a.kind = line.kind AND a.seller_id IS NOT DISTINCT FROM line.seller_id AND a.webmaster_id IS NOT DISTINCT FROM line.webmaster_id
WHERE e.kind = 'commission.accrued' AND e.idempotency_key LIKE 'order:%:accrued' AND o.external_order_id LIKE 'bench-%' AND line.amount <> 0;

COMMIT;
\timing off

SELECT format('generated: %s clicks (%s on webmaster1, %s in the day rollups), %s orders (%s in the day rollups), %s commissions (¥%s), %s items, %s webmaster sites, %s links, %s journal lines, %s CPC charges (%s paid, %s in the economics rollup)',
  (SELECT count(*) FROM clicks), (SELECT count(*) FROM clicks WHERE webmaster_id = (SELECT webmaster_id FROM links WHERE code = 'gF7kQ2xA')),
  (SELECT sum(valid + invalid) FROM click_day_sites),
  (SELECT count(*) FROM orders), (SELECT sum(orders) FROM order_day_shops), (SELECT count(*) FROM commissions), (SELECT (sum(commission_fen) / 100)::bigint FROM commissions),
  (SELECT count(*) FROM items), (SELECT count(*) FROM sites), (SELECT count(*) FROM links), (SELECT count(*) FROM journal_lines),
  (SELECT count(*) FROM cpc_charges), (SELECT count(*) FROM cpc_charges WHERE outcome = 'Charged'), (SELECT sum(paid_clicks) FROM cpc_day_zones));
