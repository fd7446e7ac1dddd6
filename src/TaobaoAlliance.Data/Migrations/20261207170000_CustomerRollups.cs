using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// The seller's customer figures and cohorts from rollups (see Data/Reports/SaleRollups.cs) instead of raw orders:
    /// shop_customer_days (each customer's orders per China day, with their first order's day copied from
    /// shop_customers) and customer_day_shops (its sums per shop, first-order day and day, plus the commission on the
    /// cohort customers' first orders). The SaleRollups triggers keep them in the writing transaction: orders and lines
    /// move their share of the customer's day; shop_customers, when a customer's first order moves, moves the customer's
    /// days and the first order's commission; commissions move their worth when their order is a cohort customer's first
    /// one; and every change of shop_customer_days moves its old share of customer_day_shops out and its new one in.
    /// rebuild_sale_rollups() computes them too (the backfill here). Also a partial index of the invalid clicks, newest
    /// first, for the admin's fraud page.
    /// </summary>
    public partial class CustomerRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customer_day_shops",
                columns: table => new
                {
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    alliance_customers = table.Column<long>(type: "bigint", nullable: false),
                    cohort_customers = table.Column<long>(type: "bigint", nullable: false),
                    cohort_orders = table.Column<long>(type: "bigint", nullable: false),
                    cohort_net_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    cohort_first_commission_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_day_shops", x => new { x.shop_id, x.first_day, x.day });
                });

            migrationBuilder.CreateTable(
                name: "shop_customer_days",
                columns: table => new
                {
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    buyer_ref = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false),
                    first_attributed = table.Column<bool>(type: "boolean", nullable: false),
                    orders = table.Column<long>(type: "bigint", nullable: false),
                    alliance_orders = table.Column<long>(type: "bigint", nullable: false),
                    net_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shop_customer_days", x => new { x.shop_id, x.buyer_ref, x.day });
                });

            migrationBuilder.CreateIndex(
                name: "ix_customer_day_shops_shop_id_day",
                table: "customer_day_shops",
                columns: new[] { "shop_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_shop_customer_days_shop_id_day",
                table: "shop_customer_days",
                columns: new[] { "shop_id", "day" },
                filter: "alliance_orders > 0")
                .Annotation("Npgsql:IndexInclude", new[] { "buyer_ref", "first_day" });
            migrationBuilder.Sql("""
                -- An order's share of its customer's day in shop_customer_days: orders_delta orders (alliance ones when attributed)
                -- and net_fen of revenue, on the China day it was paid, with the customer's first order as shop_customers holds it
                -- now (kept up to date by shop_customers_to_rollups when it moves). A day left without orders is removed.
                CREATE FUNCTION add_to_customer_days(o orders, orders_delta int, net_fen numeric) RETURNS void LANGUAGE plpgsql AS $fn$
                DECLARE
                    f shop_customers;
                    paid_day date := (o.paid_at AT TIME ZONE INTERVAL '8 hours')::date;
                BEGIN
                    IF o.buyer_ref = '' THEN RETURN; END IF;
                    SELECT * INTO f FROM shop_customers WHERE shop_id = o.shop_id AND buyer_ref = o.buyer_ref;
                    IF NOT FOUND THEN RETURN; END IF;
                    INSERT INTO shop_customer_days AS r (shop_id, buyer_ref, day, first_day, first_attributed, orders, alliance_orders, net_fen)
                    VALUES (o.shop_id, o.buyer_ref, paid_day, (f.first_paid_at AT TIME ZONE INTERVAL '8 hours')::date, f.first_attributed,
                            orders_delta, CASE WHEN o.attributed_click_id IS NOT NULL THEN orders_delta ELSE 0 END, net_fen)
                    ON CONFLICT (shop_id, buyer_ref, day) DO UPDATE SET orders = r.orders + excluded.orders,
                        alliance_orders = r.alliance_orders + excluded.alliance_orders, net_fen = r.net_fen + excluded.net_fen;
                    DELETE FROM shop_customer_days WHERE shop_id = o.shop_id AND buyer_ref = o.buyer_ref AND day = paid_day AND orders = 0;
                END $fn$;

                -- The order with its lines, counted (sign 1) or taken out (sign -1) of its customer's day.
                CREATE FUNCTION add_order_to_customer_days(o orders, sign int) RETURNS void LANGUAGE plpgsql AS $fn$
                DECLARE net numeric;
                BEGIN
                    SELECT coalesce(sum(l.paid_fen - l.refunded_fen), 0) INTO net FROM order_lines l WHERE l.order_id = o.id;
                    PERFORM add_to_customer_days(o, sign, sign * net);
                END $fn$;

                -- A customer day's share of customer_day_shops, counted (sign 1) or taken out (sign -1): every change of
                -- shop_customer_days moves its old row out and its new row in, so customer_day_shops is always its sum.
                CREATE FUNCTION add_customer_day_to_rollups(r shop_customer_days, sign int) RETURNS void LANGUAGE plpgsql AS $fn$
                BEGIN
                    INSERT INTO customer_day_shops AS t (shop_id, first_day, day, alliance_customers, cohort_customers, cohort_orders, cohort_net_fen,
                                                         cohort_first_commission_fen)
                    VALUES (r.shop_id, r.first_day, r.day, CASE WHEN r.alliance_orders > 0 THEN sign ELSE 0 END,
                            CASE WHEN r.first_attributed AND r.day = r.first_day AND r.orders > 0 THEN sign ELSE 0 END,
                            CASE WHEN r.first_attributed THEN sign * r.orders ELSE 0 END, CASE WHEN r.first_attributed THEN sign * r.net_fen ELSE 0 END, 0)
                    ON CONFLICT (shop_id, first_day, day) DO UPDATE SET alliance_customers = t.alliance_customers + excluded.alliance_customers,
                        cohort_customers = t.cohort_customers + excluded.cohort_customers, cohort_orders = t.cohort_orders + excluded.cohort_orders,
                        cohort_net_fen = t.cohort_net_fen + excluded.cohort_net_fen;
                END $fn$;

                CREATE FUNCTION shop_customer_days_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM add_customer_day_to_rollups(OLD, -1); END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM add_customer_day_to_rollups(NEW, 1); END IF;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER shop_customer_days_add_to_rollups AFTER INSERT OR UPDATE OR DELETE ON shop_customer_days
                    FOR EACH ROW EXECUTE FUNCTION shop_customer_days_to_rollups();

                -- What the commissions of one order are worth now (Pending and Settled), counted (sign 1) or taken out (sign -1) on
                -- the cohort day of a customer whose first order it is (first_day = day = the China day of first_paid_at).
                CREATE FUNCTION add_first_order_commissions(shop bigint, first_order bigint, first_paid_at timestamptz, sign int) RETURNS void
                LANGUAGE plpgsql AS $fn$
                DECLARE
                    cohort_day date := (first_paid_at AT TIME ZONE INTERVAL '8 hours')::date;
                    fen numeric;
                BEGIN
                    SELECT sum(w.commission_fen) INTO fen FROM commissions m CROSS JOIN LATERAL commission_worth(m) w
                    WHERE m.order_id = first_order AND m.state IN ('Pending', 'Settled');
                    IF fen IS NULL THEN RETURN; END IF;
                    INSERT INTO customer_day_shops AS t (shop_id, first_day, day, alliance_customers, cohort_customers, cohort_orders, cohort_net_fen,
                                                         cohort_first_commission_fen)
                    VALUES (shop, cohort_day, cohort_day, 0, 0, 0, 0, sign * fen)
                    ON CONFLICT (shop_id, first_day, day) DO UPDATE SET cohort_first_commission_fen = t.cohort_first_commission_fen + excluded.cohort_first_commission_fen;
                END $fn$;

                -- A customer's first order moved (or the customer appeared or went): their days follow it, and so does the commission
                -- on the first order counted in the cohort. A recount deletes the row and inserts it again: the days keep their old
                -- first day in between, and an order that leaves the customer has already been taken out of their days.
                CREATE FUNCTION shop_customers_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.first_attributed THEN
                        PERFORM add_first_order_commissions(OLD.shop_id, OLD.first_order_id, OLD.first_paid_at, -1);
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        UPDATE shop_customer_days SET first_day = (NEW.first_paid_at AT TIME ZONE INTERVAL '8 hours')::date, first_attributed = NEW.first_attributed
                        WHERE shop_id = NEW.shop_id AND buyer_ref = NEW.buyer_ref
                          AND (first_day, first_attributed) IS DISTINCT FROM ((NEW.first_paid_at AT TIME ZONE INTERVAL '8 hours')::date, NEW.first_attributed);
                        IF NEW.first_attributed THEN PERFORM add_first_order_commissions(NEW.shop_id, NEW.first_order_id, NEW.first_paid_at, 1); END IF;
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER shop_customers_add_to_rollups AFTER INSERT OR UPDATE OR DELETE ON shop_customers
                    FOR EACH ROW EXECUTE FUNCTION shop_customers_to_rollups();

                -- A commission's worth on the cohort day when its order is the first order of a customer whose first order came
                -- through the alliance.
                CREATE FUNCTION add_commission_to_customer_rollups(c commissions, sign int) RETURNS void LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF c.state NOT IN ('Pending', 'Settled') THEN RETURN; END IF;
                    INSERT INTO customer_day_shops AS t (shop_id, first_day, day, alliance_customers, cohort_customers, cohort_orders, cohort_net_fen,
                                                         cohort_first_commission_fen)
                    SELECT f.shop_id, d.day, d.day, 0, 0, 0, 0, sign * w.commission_fen
                    FROM orders o
                    JOIN shop_customers f ON f.shop_id = o.shop_id AND f.buyer_ref = o.buyer_ref AND f.first_order_id = o.id AND f.first_attributed
                    CROSS JOIN LATERAL (SELECT (f.first_paid_at AT TIME ZONE INTERVAL '8 hours')::date AS day) d
                    CROSS JOIN LATERAL commission_worth(c) w
                    WHERE o.id = c.order_id AND o.buyer_ref <> ''
                    ON CONFLICT (shop_id, first_day, day) DO UPDATE SET cohort_first_commission_fen = t.cohort_first_commission_fen + excluded.cohort_first_commission_fen;
                END $fn$;

                CREATE OR REPLACE FUNCTION commissions_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        PERFORM add_commission_to_rollups(OLD, -1);
                        PERFORM add_commission_to_customer_rollups(OLD, -1);
                    END IF;
                    PERFORM add_commission_to_rollups(NEW, 1);
                    PERFORM add_commission_to_customer_rollups(NEW, 1);
                    RETURN NULL;
                END $fn$;

                CREATE OR REPLACE FUNCTION orders_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM add_order_to_rollups(NEW, 1);
                        -- The earliest order wins, whichever transaction commits first: the update only ever moves to an
                        -- earlier order, so concurrent first orders of one customer end on the right one.
                        IF NEW.buyer_ref <> '' THEN
                            INSERT INTO shop_customers AS r (shop_id, buyer_ref, first_order_id, first_paid_at, first_attributed)
                            VALUES (NEW.shop_id, NEW.buyer_ref, NEW.id, NEW.paid_at, NEW.attributed_click_id IS NOT NULL)
                            ON CONFLICT (shop_id, buyer_ref) DO UPDATE SET first_order_id = excluded.first_order_id,
                                first_paid_at = excluded.first_paid_at, first_attributed = excluded.first_attributed
                            WHERE (excluded.first_paid_at, excluded.first_order_id) < (r.first_paid_at, r.first_order_id);
                        END IF;
                        -- After shop_customers, so the day is filed under the customer's first order as it is now.
                        PERFORM add_order_to_customer_days(NEW, 1);
                    ELSE
                        PERFORM add_order_to_rollups(OLD, -1);
                        PERFORM add_order_to_rollups(NEW, 1);
                        -- The old customer's day loses the order before the customers are recounted, the new one gains it after.
                        PERFORM add_order_to_customer_days(OLD, -1);
                        PERFORM recount_shop_customer(OLD.shop_id, OLD.buyer_ref);
                        IF (NEW.shop_id, NEW.buyer_ref) IS DISTINCT FROM (OLD.shop_id, OLD.buyer_ref) THEN
                            PERFORM recount_shop_customer(NEW.shop_id, NEW.buyer_ref);
                        END IF;
                        PERFORM add_order_to_customer_days(NEW, 1);
                    END IF;
                    RETURN NULL;
                END $fn$;

                CREATE OR REPLACE FUNCTION order_lines_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE o orders; net numeric;
                BEGIN
                    SELECT * INTO o FROM orders WHERE id = NEW.order_id;
                    IF TG_OP = 'INSERT' THEN
                        net := NEW.paid_fen - NEW.refunded_fen;
                        PERFORM add_to_order_rollups(o, 0, net, NEW.refunded_fen);
                    ELSE
                        net := (NEW.paid_fen - NEW.refunded_fen) - (OLD.paid_fen - OLD.refunded_fen);
                        PERFORM add_to_order_rollups(o, 0, net, NEW.refunded_fen - OLD.refunded_fen);
                    END IF;
                    PERFORM add_to_customer_days(o, 0, net);
                    RETURN NULL;
                END $fn$;

                CREATE OR REPLACE FUNCTION rebuild_sale_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
                BEGIN
                    -- Nothing may be written while the rollups are rebuilt, or the triggers and the rebuild would both count it.
                    LOCK TABLE orders, order_lines, commissions IN SHARE MODE;
                    TRUNCATE order_day_shops, order_day_webmasters, commission_day_shops, commission_day_webmasters, commission_day_items, shop_customers,
                             shop_customer_days, customer_day_shops;
                    -- Computed here as a whole, not row by row by their triggers.
                    ALTER TABLE shop_customers DISABLE TRIGGER shop_customers_add_to_rollups;
                    ALTER TABLE shop_customer_days DISABLE TRIGGER shop_customer_days_add_to_rollups;
                    CREATE TEMP TABLE order_money ON COMMIT DROP AS
                    SELECT o.id, o.shop_id, o.attributed_webmaster_id, o.attributed_click_id IS NOT NULL AS attributed,
                           (o.paid_at AT TIME ZONE INTERVAL '8 hours')::date AS day,
                           coalesce(l.net, 0) AS net, coalesce(l.refunds, 0) AS refunds
                    FROM orders o
                    LEFT JOIN (SELECT order_id, sum(paid_fen - refunded_fen) AS net, sum(refunded_fen) AS refunds FROM order_lines GROUP BY 1) l
                        ON l.order_id = o.id;
                    INSERT INTO order_day_shops (shop_id, day, orders, gmv_fen, alliance_orders, alliance_gmv_fen, alliance_refunds_fen)
                    SELECT shop_id, day, count(*), sum(net), count(*) FILTER (WHERE attributed),
                           coalesce(sum(net) FILTER (WHERE attributed), 0), coalesce(sum(refunds) FILTER (WHERE attributed), 0)
                    FROM order_money GROUP BY 1, 2;
                    INSERT INTO order_day_webmasters (webmaster_id, day, orders, gmv_fen)
                    SELECT attributed_webmaster_id, day, count(*), sum(net)
                    FROM order_money WHERE attributed_webmaster_id IS NOT NULL GROUP BY 1, 2;
                    DROP TABLE order_money;
                    INSERT INTO commission_day_shops (shop_id, day, commission_fen, platform_fee_fen, subsidy_fen)
                    SELECT o.shop_id, (m.created_at AT TIME ZONE INTERVAL '8 hours')::date, sum(w.commission_fen), sum(w.platform_fee_fen), sum(w.subsidy_fen)
                    FROM commissions m JOIN orders o ON o.id = m.order_id CROSS JOIN LATERAL commission_worth(m) w
                    WHERE m.state IN ('Pending', 'Settled') GROUP BY 1, 2;
                    INSERT INTO commission_day_webmasters (webmaster_id, day, estimated_fen, settled_fen)
                    SELECT m.webmaster_id, (m.created_at AT TIME ZONE INTERVAL '8 hours')::date, sum(w.webmaster_fen + w.subsidy_fen),
                           coalesce(sum(w.webmaster_fen + w.subsidy_fen) FILTER (WHERE m.state = 'Settled'), 0)
                    FROM commissions m CROSS JOIN LATERAL commission_worth(m) w
                    WHERE m.state IN ('Pending', 'Settled') GROUP BY 1, 2;
                    INSERT INTO commission_day_items (day, item_id, earned_fen)
                    SELECT (m.click_at AT TIME ZONE INTERVAL '8 hours')::date, m.click_item_id, sum(w.webmaster_fen + w.subsidy_fen)
                    FROM commissions m CROSS JOIN LATERAL commission_worth(m) w
                    WHERE m.click_valid GROUP BY 1, 2;
                    INSERT INTO shop_customers (shop_id, buyer_ref, first_order_id, first_paid_at, first_attributed)
                    SELECT DISTINCT ON (shop_id, buyer_ref) shop_id, buyer_ref, id, paid_at, attributed_click_id IS NOT NULL
                    FROM orders WHERE buyer_ref <> ''
                    ORDER BY shop_id, buyer_ref, paid_at, id;
                    INSERT INTO shop_customer_days (shop_id, buyer_ref, day, first_day, first_attributed, orders, alliance_orders, net_fen)
                    SELECT o.shop_id, o.buyer_ref, (o.paid_at AT TIME ZONE INTERVAL '8 hours')::date, (f.first_paid_at AT TIME ZONE INTERVAL '8 hours')::date,
                           f.first_attributed, count(*), count(*) FILTER (WHERE o.attributed_click_id IS NOT NULL), coalesce(sum(l.net), 0)
                    FROM orders o
                    JOIN shop_customers f ON f.shop_id = o.shop_id AND f.buyer_ref = o.buyer_ref
                    LEFT JOIN (SELECT order_id, sum(paid_fen - refunded_fen) AS net FROM order_lines GROUP BY 1) l ON l.order_id = o.id
                    GROUP BY 1, 2, 3, 4, 5;
                    INSERT INTO customer_day_shops (shop_id, first_day, day, alliance_customers, cohort_customers, cohort_orders, cohort_net_fen,
                                                    cohort_first_commission_fen)
                    SELECT shop_id, first_day, day, count(*) FILTER (WHERE alliance_orders > 0), count(*) FILTER (WHERE first_attributed AND day = first_day),
                           coalesce(sum(orders) FILTER (WHERE first_attributed), 0), coalesce(sum(net_fen) FILTER (WHERE first_attributed), 0), 0
                    FROM shop_customer_days GROUP BY 1, 2, 3;
                    INSERT INTO customer_day_shops AS t (shop_id, first_day, day, alliance_customers, cohort_customers, cohort_orders, cohort_net_fen,
                                                         cohort_first_commission_fen)
                    SELECT f.shop_id, d.day, d.day, 0, 0, 0, 0, sum(w.commission_fen)
                    FROM shop_customers f
                    JOIN commissions m ON m.order_id = f.first_order_id
                    CROSS JOIN LATERAL (SELECT (f.first_paid_at AT TIME ZONE INTERVAL '8 hours')::date AS day) d
                    CROSS JOIN LATERAL commission_worth(m) w
                    WHERE f.first_attributed AND m.state IN ('Pending', 'Settled')
                    GROUP BY 1, 2
                    ON CONFLICT (shop_id, first_day, day) DO UPDATE SET cohort_first_commission_fen = excluded.cohort_first_commission_fen;
                    ALTER TABLE shop_customers ENABLE TRIGGER shop_customers_add_to_rollups;
                    ALTER TABLE shop_customer_days ENABLE TRIGGER shop_customer_days_add_to_rollups;
                END $fn$;
                SELECT rebuild_sale_rollups();

                -- The admin's latest invalid clicks: about 3 % of the clicks, so the index is small and a valid click never touches it.
                CREATE INDEX ix_clicks_occurred_at_invalid ON clicks (occurred_at DESC, id DESC) WHERE NOT is_valid;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_clicks_occurred_at_invalid;
                DROP TRIGGER shop_customers_add_to_rollups ON shop_customers;
                DROP TRIGGER shop_customer_days_add_to_rollups ON shop_customer_days;
                CREATE OR REPLACE FUNCTION orders_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM add_order_to_rollups(NEW, 1);
                        -- The earliest order wins, whichever transaction commits first: the update only ever moves to an
                        -- earlier order, so concurrent first orders of one customer end on the right one.
                        IF NEW.buyer_ref <> '' THEN
                            INSERT INTO shop_customers AS r (shop_id, buyer_ref, first_order_id, first_paid_at, first_attributed)
                            VALUES (NEW.shop_id, NEW.buyer_ref, NEW.id, NEW.paid_at, NEW.attributed_click_id IS NOT NULL)
                            ON CONFLICT (shop_id, buyer_ref) DO UPDATE SET first_order_id = excluded.first_order_id,
                                first_paid_at = excluded.first_paid_at, first_attributed = excluded.first_attributed
                            WHERE (excluded.first_paid_at, excluded.first_order_id) < (r.first_paid_at, r.first_order_id);
                        END IF;
                    ELSE
                        PERFORM add_order_to_rollups(OLD, -1);
                        PERFORM add_order_to_rollups(NEW, 1);
                        PERFORM recount_shop_customer(OLD.shop_id, OLD.buyer_ref);
                        IF (NEW.shop_id, NEW.buyer_ref) IS DISTINCT FROM (OLD.shop_id, OLD.buyer_ref) THEN
                            PERFORM recount_shop_customer(NEW.shop_id, NEW.buyer_ref);
                        END IF;
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE OR REPLACE FUNCTION order_lines_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE o orders;
                BEGIN
                    SELECT * INTO o FROM orders WHERE id = NEW.order_id;
                    IF TG_OP = 'INSERT' THEN
                        PERFORM add_to_order_rollups(o, 0, NEW.paid_fen - NEW.refunded_fen, NEW.refunded_fen);
                    ELSE
                        PERFORM add_to_order_rollups(o, 0, (NEW.paid_fen - NEW.refunded_fen) - (OLD.paid_fen - OLD.refunded_fen),
                                                     NEW.refunded_fen - OLD.refunded_fen);
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE OR REPLACE FUNCTION commissions_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN PERFORM add_commission_to_rollups(OLD, -1); END IF;
                    PERFORM add_commission_to_rollups(NEW, 1);
                    RETURN NULL;
                END $fn$;
                CREATE OR REPLACE FUNCTION rebuild_sale_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
                BEGIN
                    -- Nothing may be written while the rollups are rebuilt, or the triggers and the rebuild would both count it.
                    LOCK TABLE orders, order_lines, commissions IN SHARE MODE;
                    TRUNCATE order_day_shops, order_day_webmasters, commission_day_shops, commission_day_webmasters, commission_day_items, shop_customers;
                    CREATE TEMP TABLE order_money ON COMMIT DROP AS
                    SELECT o.id, o.shop_id, o.attributed_webmaster_id, o.attributed_click_id IS NOT NULL AS attributed,
                           (o.paid_at AT TIME ZONE INTERVAL '8 hours')::date AS day,
                           coalesce(l.net, 0) AS net, coalesce(l.refunds, 0) AS refunds
                    FROM orders o
                    LEFT JOIN (SELECT order_id, sum(paid_fen - refunded_fen) AS net, sum(refunded_fen) AS refunds FROM order_lines GROUP BY 1) l
                        ON l.order_id = o.id;
                    INSERT INTO order_day_shops (shop_id, day, orders, gmv_fen, alliance_orders, alliance_gmv_fen, alliance_refunds_fen)
                    SELECT shop_id, day, count(*), sum(net), count(*) FILTER (WHERE attributed),
                           coalesce(sum(net) FILTER (WHERE attributed), 0), coalesce(sum(refunds) FILTER (WHERE attributed), 0)
                    FROM order_money GROUP BY 1, 2;
                    INSERT INTO order_day_webmasters (webmaster_id, day, orders, gmv_fen)
                    SELECT attributed_webmaster_id, day, count(*), sum(net)
                    FROM order_money WHERE attributed_webmaster_id IS NOT NULL GROUP BY 1, 2;
                    DROP TABLE order_money;
                    INSERT INTO commission_day_shops (shop_id, day, commission_fen, platform_fee_fen, subsidy_fen)
                    SELECT o.shop_id, (m.created_at AT TIME ZONE INTERVAL '8 hours')::date, sum(w.commission_fen), sum(w.platform_fee_fen), sum(w.subsidy_fen)
                    FROM commissions m JOIN orders o ON o.id = m.order_id CROSS JOIN LATERAL commission_worth(m) w
                    WHERE m.state IN ('Pending', 'Settled') GROUP BY 1, 2;
                    INSERT INTO commission_day_webmasters (webmaster_id, day, estimated_fen, settled_fen)
                    SELECT m.webmaster_id, (m.created_at AT TIME ZONE INTERVAL '8 hours')::date, sum(w.webmaster_fen + w.subsidy_fen),
                           coalesce(sum(w.webmaster_fen + w.subsidy_fen) FILTER (WHERE m.state = 'Settled'), 0)
                    FROM commissions m CROSS JOIN LATERAL commission_worth(m) w
                    WHERE m.state IN ('Pending', 'Settled') GROUP BY 1, 2;
                    INSERT INTO commission_day_items (day, item_id, earned_fen)
                    SELECT (m.click_at AT TIME ZONE INTERVAL '8 hours')::date, m.click_item_id, sum(w.webmaster_fen + w.subsidy_fen)
                    FROM commissions m CROSS JOIN LATERAL commission_worth(m) w
                    WHERE m.click_valid GROUP BY 1, 2;
                    INSERT INTO shop_customers (shop_id, buyer_ref, first_order_id, first_paid_at, first_attributed)
                    SELECT DISTINCT ON (shop_id, buyer_ref) shop_id, buyer_ref, id, paid_at, attributed_click_id IS NOT NULL
                    FROM orders WHERE buyer_ref <> ''
                    ORDER BY shop_id, buyer_ref, paid_at, id;
                END $fn$;
                DROP FUNCTION add_commission_to_customer_rollups(commissions, int);
                DROP FUNCTION shop_customers_to_rollups();
                DROP FUNCTION add_first_order_commissions(bigint, bigint, timestamptz, int);
                DROP FUNCTION shop_customer_days_to_rollups();
                DROP FUNCTION add_customer_day_to_rollups(shop_customer_days, int);
                DROP FUNCTION add_order_to_customer_days(orders, int);
                DROP FUNCTION add_to_customer_days(orders, int, numeric);
                """);
            migrationBuilder.DropTable(
                name: "customer_day_shops");

            migrationBuilder.DropTable(
                name: "shop_customer_days");
        }
    }
}
