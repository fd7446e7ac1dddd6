using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Rollups of orders, order lines and commissions per China day (see Data/Reports/SaleRollups.cs), so no report
    /// sums a period of raw orders or commissions, and shop_customers (each customer's first order in a shop), so the
    /// seller's customers and cohorts never read a shop's whole order history. Row triggers keep them in the writing
    /// transaction: each takes the old row's share out and puts the new row's in, so a refund, a settlement, a
    /// reversal, a clawback or a void moves the money exactly as the raw rows move. commission_worth() is the SQL twin
    /// of what the reports count a commission at (its stored amounts while nothing is refunded, else
    /// CommissionMath.Effective on what is left). rebuild_sale_rollups() computes everything again from the raw
    /// tables: the backfill here, and bench/generate.sql after a bulk load made with these triggers off.
    /// Orders, lines and commissions are never deleted by the app (refunds and voids are updates), so no trigger
    /// handles DELETE. Items get a GIN index of their titles' one- and two-character pieces (title_grams), so the
    /// library's search for a short Chinese keyword is indexed.
    /// </summary>
    public partial class SaleRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commission_day_items",
                columns: table => new
                {
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    earned_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commission_day_items", x => new { x.day, x.item_id });
                });

            migrationBuilder.CreateTable(
                name: "commission_day_shops",
                columns: table => new
                {
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    commission_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    platform_fee_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    subsidy_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commission_day_shops", x => new { x.shop_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "commission_day_webmasters",
                columns: table => new
                {
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    estimated_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    settled_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commission_day_webmasters", x => new { x.webmaster_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "order_day_shops",
                columns: table => new
                {
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    orders = table.Column<long>(type: "bigint", nullable: false),
                    gmv_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    alliance_orders = table.Column<long>(type: "bigint", nullable: false),
                    alliance_gmv_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    alliance_refunds_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_day_shops", x => new { x.shop_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "order_day_webmasters",
                columns: table => new
                {
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    orders = table.Column<long>(type: "bigint", nullable: false),
                    gmv_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_day_webmasters", x => new { x.webmaster_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "shop_customers",
                columns: table => new
                {
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    buyer_ref = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    first_order_id = table.Column<long>(type: "bigint", nullable: false),
                    first_paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    first_attributed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shop_customers", x => new { x.shop_id, x.buyer_ref });
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_paid_at_flagged",
                table: "orders",
                column: "paid_at",
                filter: "fraud_flag IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_orders_shop_id_paid_at",
                table: "orders",
                columns: new[] { "shop_id", "paid_at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_shop_id_buyer_ref_paid_at",
                table: "orders",
                columns: new[] { "shop_id", "buyer_ref", "paid_at" });

            migrationBuilder.CreateIndex(
                name: "ix_commission_day_items_item_id_day",
                table: "commission_day_items",
                columns: new[] { "item_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_commission_day_shops_day",
                table: "commission_day_shops",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_order_day_shops_day",
                table: "order_day_shops",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_shop_customers_shop_id_first_paid_at",
                table: "shop_customers",
                columns: new[] { "shop_id", "first_paid_at" });
            migrationBuilder.Sql("""
                -- What the reports count a commission at now. Untouched, its stored amounts (bench/generate.sql floors
                -- them, so they are not always what the rules would give); partly refunded, the rules on what is left
                -- (CommissionCalculator.Remaining: each amount rounded half away from zero, as round(numeric) does, the
                -- subsidy never above what was granted); Reversed and Voided, nothing.
                CREATE FUNCTION commission_worth(c commissions, OUT commission_fen bigint, OUT platform_fee_fen bigint,
                                                 OUT webmaster_fen bigint, OUT subsidy_fen bigint)
                LANGUAGE sql IMMUTABLE AS $fn$
                    SELECT CASE WHEN dead THEN 0 WHEN untouched THEN c.commission_fen ELSE k.commission END,
                           CASE WHEN dead THEN 0 WHEN untouched THEN c.platform_fee_fen ELSE f.fee END,
                           CASE WHEN dead THEN 0 WHEN untouched THEN c.webmaster_fen ELSE k.commission - f.fee END,
                           CASE WHEN dead THEN 0 WHEN untouched THEN c.subsidy_fen
                                ELSE least(c.subsidy_fen, round((k.commission - f.fee)::numeric * c.subsidy_bonus_bp / 10000)::bigint) END
                    FROM (SELECT c.state IN ('Reversed', 'Voided') AS dead, c.refunded_base_fen = 0 AS untouched,
                                 round((c.base_fen - c.refunded_base_fen)::numeric * c.rate_bp / 10000)::bigint AS commission) k
                    CROSS JOIN LATERAL (SELECT round(k.commission::numeric * c.platform_fee_bp / 10000)::bigint AS fee) f
                $fn$;

                -- An order's share of the order rollups: orders_delta orders and net_fen (paid less refunded) of GMV,
                -- refunds_fen of refunds, on its shop and, when attributed, its webmaster, on the China day it was paid.
                CREATE FUNCTION add_to_order_rollups(o orders, orders_delta int, net_fen numeric, refunds_fen numeric) RETURNS void
                LANGUAGE plpgsql AS $fn$
                DECLARE
                    paid_day date := (o.paid_at AT TIME ZONE INTERVAL '8 hours')::date;
                    attributed boolean := o.attributed_click_id IS NOT NULL;
                BEGIN
                    INSERT INTO order_day_shops AS r (shop_id, day, orders, gmv_fen, alliance_orders, alliance_gmv_fen, alliance_refunds_fen)
                    VALUES (o.shop_id, paid_day, orders_delta, net_fen, CASE WHEN attributed THEN orders_delta ELSE 0 END,
                            CASE WHEN attributed THEN net_fen ELSE 0 END, CASE WHEN attributed THEN refunds_fen ELSE 0 END)
                    ON CONFLICT (shop_id, day) DO UPDATE SET orders = r.orders + excluded.orders, gmv_fen = r.gmv_fen + excluded.gmv_fen,
                        alliance_orders = r.alliance_orders + excluded.alliance_orders,
                        alliance_gmv_fen = r.alliance_gmv_fen + excluded.alliance_gmv_fen,
                        alliance_refunds_fen = r.alliance_refunds_fen + excluded.alliance_refunds_fen;
                    IF o.attributed_webmaster_id IS NOT NULL THEN
                        INSERT INTO order_day_webmasters AS r (webmaster_id, day, orders, gmv_fen)
                        VALUES (o.attributed_webmaster_id, paid_day, orders_delta, net_fen)
                        ON CONFLICT (webmaster_id, day) DO UPDATE SET orders = r.orders + excluded.orders, gmv_fen = r.gmv_fen + excluded.gmv_fen;
                    END IF;
                END $fn$;

                -- The order with its lines, counted (sign 1) or taken out (sign -1).
                CREATE FUNCTION add_order_to_rollups(o orders, sign int) RETURNS void LANGUAGE plpgsql AS $fn$
                DECLARE net numeric; refunds numeric;
                BEGIN
                    SELECT coalesce(sum(l.paid_fen - l.refunded_fen), 0), coalesce(sum(l.refunded_fen), 0) INTO net, refunds
                    FROM order_lines l WHERE l.order_id = o.id;
                    PERFORM add_to_order_rollups(o, sign, sign * net, sign * refunds);
                END $fn$;

                -- The customer's first order in the shop from scratch: after a change that can make another order the first.
                CREATE FUNCTION recount_shop_customer(shop bigint, buyer text) RETURNS void LANGUAGE plpgsql AS $fn$
                BEGIN
                    DELETE FROM shop_customers WHERE shop_id = shop AND buyer_ref = buyer;
                    INSERT INTO shop_customers (shop_id, buyer_ref, first_order_id, first_paid_at, first_attributed)
                    SELECT o.shop_id, o.buyer_ref, o.id, o.paid_at, o.attributed_click_id IS NOT NULL
                    FROM orders o WHERE o.shop_id = shop AND o.buyer_ref = buyer AND buyer <> ''
                    ORDER BY o.paid_at, o.id LIMIT 1;
                END $fn$;

                CREATE FUNCTION orders_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
                CREATE TRIGGER orders_add_to_rollups AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_to_rollups();
                -- Only what the rollups key on: a state change (paid, confirmed, closed) moves nothing.
                CREATE TRIGGER orders_move_in_rollups AFTER UPDATE ON orders FOR EACH ROW
                    WHEN ((OLD.shop_id, OLD.paid_at, OLD.attributed_click_id, OLD.attributed_webmaster_id, OLD.buyer_ref)
                          IS DISTINCT FROM (NEW.shop_id, NEW.paid_at, NEW.attributed_click_id, NEW.attributed_webmaster_id, NEW.buyer_ref))
                    EXECUTE FUNCTION orders_to_rollups();

                -- A line's money, added on insert; on update (a refund) the change only.
                CREATE FUNCTION order_lines_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
                CREATE TRIGGER order_lines_add_to_rollups AFTER INSERT OR UPDATE OF paid_fen, refunded_fen ON order_lines
                    FOR EACH ROW EXECUTE FUNCTION order_lines_to_rollups();

                -- A commission's worth counted (sign 1) or taken out (sign -1): on the shop and the webmaster by the day
                -- of its order's payment (its created_at) while Pending or Settled, and on its click's item by the click's
                -- day when the click was valid.
                CREATE FUNCTION add_commission_to_rollups(c commissions, sign int) RETURNS void LANGUAGE plpgsql AS $fn$
                DECLARE
                    w record;
                    paid_day date := (c.created_at AT TIME ZONE INTERVAL '8 hours')::date;
                BEGIN
                    SELECT * INTO w FROM commission_worth(c);
                    IF c.state IN ('Pending', 'Settled') THEN
                        INSERT INTO commission_day_shops AS r (shop_id, day, commission_fen, platform_fee_fen, subsidy_fen)
                        SELECT o.shop_id, paid_day, sign * w.commission_fen, sign * w.platform_fee_fen, sign * w.subsidy_fen
                        FROM orders o WHERE o.id = c.order_id
                        ON CONFLICT (shop_id, day) DO UPDATE SET commission_fen = r.commission_fen + excluded.commission_fen,
                            platform_fee_fen = r.platform_fee_fen + excluded.platform_fee_fen, subsidy_fen = r.subsidy_fen + excluded.subsidy_fen;
                        INSERT INTO commission_day_webmasters AS r (webmaster_id, day, estimated_fen, settled_fen)
                        VALUES (c.webmaster_id, paid_day, sign * (w.webmaster_fen + w.subsidy_fen),
                                CASE WHEN c.state = 'Settled' THEN sign * (w.webmaster_fen + w.subsidy_fen) ELSE 0 END)
                        ON CONFLICT (webmaster_id, day) DO UPDATE SET estimated_fen = r.estimated_fen + excluded.estimated_fen,
                            settled_fen = r.settled_fen + excluded.settled_fen;
                    END IF;
                    IF c.click_valid THEN
                        INSERT INTO commission_day_items AS r (day, item_id, earned_fen)
                        VALUES ((c.click_at AT TIME ZONE INTERVAL '8 hours')::date, c.click_item_id, sign * (w.webmaster_fen + w.subsidy_fen))
                        ON CONFLICT (day, item_id) DO UPDATE SET earned_fen = r.earned_fen + excluded.earned_fen;
                    END IF;
                END $fn$;

                CREATE FUNCTION commissions_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN PERFORM add_commission_to_rollups(OLD, -1); END IF;
                    PERFORM add_commission_to_rollups(NEW, 1);
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER commissions_add_to_rollups AFTER INSERT OR UPDATE ON commissions
                    FOR EACH ROW EXECUTE FUNCTION commissions_to_rollups();

                CREATE FUNCTION rebuild_sale_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
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
                SELECT rebuild_sale_rollups();

                -- The library's keyword search: a trigram index cannot serve ILIKE '%手机%' (a two-character Chinese word
                -- holds no whole trigram, so PostgreSQL reads every item). Every one- and two-character piece of the
                -- lower-cased titles goes into a GIN index; a keyword's pieces must all be there, and ILIKE checks the rest.
                CREATE FUNCTION title_grams(title text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
                    SELECT coalesce(array_agg(DISTINCT substr(lower(title), i, n)), '{}')
                    FROM generate_series(1, char_length(title)) i CROSS JOIN (VALUES (1), (2)) AS piece(n)
                    WHERE i + n - 1 <= char_length(title)
                $fn$;
                CREATE INDEX ix_items_title_grams ON items USING gin (title_grams(title_zh || ' ' || title_en));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER commissions_add_to_rollups ON commissions;
                DROP TRIGGER order_lines_add_to_rollups ON order_lines;
                DROP TRIGGER orders_move_in_rollups ON orders;
                DROP TRIGGER orders_add_to_rollups ON orders;
                DROP FUNCTION rebuild_sale_rollups();
                DROP FUNCTION commissions_to_rollups();
                DROP FUNCTION add_commission_to_rollups(commissions, int);
                DROP FUNCTION order_lines_to_rollups();
                DROP FUNCTION orders_to_rollups();
                DROP FUNCTION recount_shop_customer(bigint, text);
                DROP FUNCTION add_order_to_rollups(orders, int);
                DROP FUNCTION add_to_order_rollups(orders, int, numeric, numeric);
                DROP FUNCTION commission_worth(commissions);
                DROP INDEX ix_items_title_grams;
                DROP FUNCTION title_grams(text);
                """);
            migrationBuilder.DropTable(
                name: "commission_day_items");

            migrationBuilder.DropTable(
                name: "commission_day_shops");

            migrationBuilder.DropTable(
                name: "commission_day_webmasters");

            migrationBuilder.DropTable(
                name: "order_day_shops");

            migrationBuilder.DropTable(
                name: "order_day_webmasters");

            migrationBuilder.DropTable(
                name: "shop_customers");

            migrationBuilder.DropIndex(
                name: "ix_orders_paid_at_flagged",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_shop_id_buyer_ref_paid_at",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_shop_id_paid_at",
                table: "orders");
        }
    }
}
