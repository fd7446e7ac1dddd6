using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Click rollups per China day (see Data/Reports/ClickRollups.cs), so reports never scan raw clicks. An AFTER
    /// INSERT statement trigger on clicks adds each statement's clicks, grouped, in the inserting transaction: it
    /// fires for every writer alike (COPY, EF inserts, INSERT … SELECT) and for a plain or a partitioned clicks
    /// table (PostgreSQL ≥ 13 gives a partitioned parent's statement trigger the rows of all partitions).
    /// rebuild_click_rollups() computes them again from the clicks table: the backfill here, and bench/generate.sql
    /// after a bulk load made with the trigger off.
    /// Orders get attributed_webmaster_id, the webmaster of their attributed click, set by a BEFORE trigger whenever
    /// the attributed click is written (a click's webmaster never changes) and indexed with paid_at: a webmaster's
    /// report finds their orders by it instead of looking up every order's click. It is the database's own copy,
    /// outside the EF model, like the triggers. Commissions likewise get their click's time, item and validity
    /// (click_at, click_item_id, click_valid), so the library's EPC sums a month of commissions through an index on
    /// click_at instead of joining every commission to its click.
    /// </summary>
    public partial class ReportRollups : Migration
    {
        /// <summary>
        /// The upserts from a set of clicks ({0}: the trigger's transition table, or clicks). Rows go in key order,
        /// tables always in the same order: concurrent writers then lock shared rollup rows in one order and cannot
        /// deadlock. A China day is UTC+8, without daylight saving.
        /// </summary>
        internal const string AddClicks = """
            INSERT INTO click_day_sites AS r (webmaster_id, day, site_id, zone_id, valid, invalid)
            SELECT webmaster_id, (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, site_id, zone_id,
                   count(*) FILTER (WHERE is_valid), count(*) FILTER (WHERE NOT is_valid)
            FROM {0} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (webmaster_id, day, site_id, zone_id) DO UPDATE SET valid = r.valid + excluded.valid, invalid = r.invalid + excluded.invalid;
            INSERT INTO click_day_items AS r (day, item_id, valid, invalid)
            SELECT (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, item_id,
                   count(*) FILTER (WHERE is_valid), count(*) FILTER (WHERE NOT is_valid)
            FROM {0} GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (day, item_id) DO UPDATE SET valid = r.valid + excluded.valid, invalid = r.invalid + excluded.invalid;
            INSERT INTO click_day_webmaster_items AS r (webmaster_id, day, item_id, valid, invalid)
            SELECT webmaster_id, (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, item_id,
                   count(*) FILTER (WHERE is_valid), count(*) FILTER (WHERE NOT is_valid)
            FROM {0} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (webmaster_id, day, item_id) DO UPDATE SET valid = r.valid + excluded.valid, invalid = r.invalid + excluded.invalid;
            INSERT INTO click_day_reasons AS r (day, site_id, reason, clicks)
            SELECT (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, site_id, CASE WHEN is_valid THEN '' ELSE invalid_reason END, count(*)
            FROM {0} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (day, site_id, reason) DO UPDATE SET clicks = r.clicks + excluded.clicks;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "click_day_items",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    valid = table.Column<long>(type: "bigint", nullable: false),
                    invalid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_click_day_items", x => new { x.day, x.item_id });
                });

            migrationBuilder.CreateTable(
                name: "click_day_reasons",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    clicks = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_click_day_reasons", x => new { x.day, x.site_id, x.reason });
                });

            migrationBuilder.CreateTable(
                name: "click_day_sites",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    zone_id = table.Column<long>(type: "bigint", nullable: false),
                    valid = table.Column<long>(type: "bigint", nullable: false),
                    invalid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_click_day_sites", x => new { x.webmaster_id, x.day, x.site_id, x.zone_id });
                });

            migrationBuilder.CreateTable(
                name: "click_day_webmaster_items",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    valid = table.Column<long>(type: "bigint", nullable: false),
                    invalid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_click_day_webmaster_items", x => new { x.webmaster_id, x.day, x.item_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_click_day_items_item_id_day",
                table: "click_day_items",
                columns: new[] { "item_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_click_day_sites_day",
                table: "click_day_sites",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_click_day_sites_site_id_day",
                table: "click_day_sites",
                columns: new[] { "site_id", "day" });

            migrationBuilder.Sql($$"""
                CREATE FUNCTION add_clicks_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                {{string.Format(System.Globalization.CultureInfo.InvariantCulture, AddClicks, "new_clicks")}}
                RETURN NULL;
                END $fn$;
                CREATE TRIGGER clicks_add_to_rollups AFTER INSERT ON clicks REFERENCING NEW TABLE AS new_clicks
                    FOR EACH STATEMENT EXECUTE FUNCTION add_clicks_to_rollups();
                CREATE FUNCTION rebuild_click_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
                BEGIN
                -- No click may come in while the rollups are rebuilt, or the trigger and the rebuild would both count it.
                LOCK TABLE clicks IN SHARE MODE;
                TRUNCATE click_day_sites, click_day_items, click_day_webmaster_items, click_day_reasons;
                {{string.Format(System.Globalization.CultureInfo.InvariantCulture, AddClicks, "clicks")}}
                END $fn$;
                SELECT rebuild_click_rollups();

                ALTER TABLE orders ADD COLUMN attributed_webmaster_id bigint;
                UPDATE orders o SET attributed_webmaster_id = c.webmaster_id FROM clicks c WHERE c.id = o.attributed_click_id;
                -- The time a UUIDv7 click id carries (its first 48 bits, ms since 1970), or null for another kind of id. A
                -- lookup by id within an hour of it reads one or two day partitions instead of every one (ClickIds in C#).
                CREATE FUNCTION click_id_time(id uuid) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $time$
                    SELECT CASE WHEN substr(id::text, 15, 1) = '7'
                        THEN to_timestamp(('x' || lpad(replace(left(id::text, 13), '-', ''), 16, '0'))::bit(64)::bigint / 1000.0) END
                $time$;
                CREATE FUNCTION set_order_attributed_webmaster() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE at timestamptz := click_id_time(NEW.attributed_click_id);
                BEGIN
                    IF at IS NULL THEN
                        NEW.attributed_webmaster_id := (SELECT webmaster_id FROM clicks WHERE id = NEW.attributed_click_id);
                    ELSE
                        NEW.attributed_webmaster_id := (SELECT webmaster_id FROM clicks WHERE id = NEW.attributed_click_id
                            AND occurred_at BETWEEN at - interval '1 hour' AND at + interval '1 hour');
                    END IF;
                    RETURN NEW;
                END $fn$;
                CREATE TRIGGER orders_set_attributed_webmaster BEFORE INSERT OR UPDATE OF attributed_click_id ON orders
                    FOR EACH ROW EXECUTE FUNCTION set_order_attributed_webmaster();
                CREATE INDEX ix_orders_attributed_webmaster_id_paid_at ON orders (attributed_webmaster_id, paid_at)
                    WHERE attributed_webmaster_id IS NOT NULL;

                ALTER TABLE commissions ADD COLUMN click_at timestamptz, ADD COLUMN click_item_id bigint, ADD COLUMN click_valid boolean;
                UPDATE commissions m SET click_at = c.occurred_at, click_item_id = c.item_id, click_valid = c.is_valid FROM clicks c WHERE c.id = m.click_id;
                CREATE FUNCTION set_commission_click() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE at timestamptz := click_id_time(NEW.click_id);
                BEGIN
                    IF at IS NULL THEN
                        SELECT c.occurred_at, c.item_id, c.is_valid INTO NEW.click_at, NEW.click_item_id, NEW.click_valid
                        FROM clicks c WHERE c.id = NEW.click_id;
                    ELSE
                        SELECT c.occurred_at, c.item_id, c.is_valid INTO NEW.click_at, NEW.click_item_id, NEW.click_valid
                        FROM clicks c WHERE c.id = NEW.click_id AND c.occurred_at BETWEEN at - interval '1 hour' AND at + interval '1 hour';
                    END IF;
                    RETURN NEW;
                END $fn$;
                CREATE TRIGGER commissions_set_click BEFORE INSERT OR UPDATE OF click_id ON commissions
                    FOR EACH ROW EXECUTE FUNCTION set_commission_click();
                CREATE INDEX ix_commissions_click_at ON commissions (click_at) WHERE click_valid;
                """);
}

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER commissions_set_click ON commissions;
                DROP FUNCTION set_commission_click();
                ALTER TABLE commissions DROP COLUMN click_at, DROP COLUMN click_item_id, DROP COLUMN click_valid;
                DROP TRIGGER orders_set_attributed_webmaster ON orders;
                DROP FUNCTION set_order_attributed_webmaster();
                DROP FUNCTION click_id_time(uuid);
                ALTER TABLE orders DROP COLUMN attributed_webmaster_id;
                DROP TRIGGER clicks_add_to_rollups ON clicks;
                DROP FUNCTION add_clicks_to_rollups();
                DROP FUNCTION rebuild_click_rollups();
                """);

            migrationBuilder.DropTable(
                name: "click_day_items");

            migrationBuilder.DropTable(
                name: "click_day_reasons");

            migrationBuilder.DropTable(
                name: "click_day_sites");

            migrationBuilder.DropTable(
                name: "click_day_webmaster_items");
        }
    }
}
