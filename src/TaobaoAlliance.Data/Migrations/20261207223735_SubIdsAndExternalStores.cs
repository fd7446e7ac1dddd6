using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Sub-ids on clicks and commissions, the click_day_subs rollup (webmaster, day, site, sub1; sharded, kept by the
    /// clicks trigger like the others), shops' store hosts and items' external URLs, which the click path reads: the
    /// click-target notifications now fire when they change too. The click rollups' SQL is copied from
    /// ShardedClickRollups (the functions as that migration left them, for Down) so this migration stands on its own.
    /// </summary>
    public partial class SubIdsAndExternalStores : Migration
    {
        /// <summary>The click rollups' upserts from a set of clicks ({0}) into shard {1}, as ShardedClickRollups wrote them.</summary>
        private const string AddClicks = """
            INSERT INTO click_day_sites AS r (webmaster_id, day, site_id, zone_id, shard, valid, invalid)
            SELECT webmaster_id, (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, site_id, zone_id, {1},
                   count(*) FILTER (WHERE is_valid), count(*) FILTER (WHERE NOT is_valid)
            FROM {0} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (webmaster_id, day, site_id, zone_id, shard) DO UPDATE SET valid = r.valid + excluded.valid, invalid = r.invalid + excluded.invalid;
            INSERT INTO click_day_items AS r (day, item_id, shard, valid, invalid)
            SELECT (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, item_id, {1},
                   count(*) FILTER (WHERE is_valid), count(*) FILTER (WHERE NOT is_valid)
            FROM {0} GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (day, item_id, shard) DO UPDATE SET valid = r.valid + excluded.valid, invalid = r.invalid + excluded.invalid;
            INSERT INTO click_day_webmaster_items AS r (webmaster_id, day, item_id, shard, valid, invalid)
            SELECT webmaster_id, (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, item_id, {1},
                   count(*) FILTER (WHERE is_valid), count(*) FILTER (WHERE NOT is_valid)
            FROM {0} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (webmaster_id, day, item_id, shard) DO UPDATE SET valid = r.valid + excluded.valid, invalid = r.invalid + excluded.invalid;
            INSERT INTO click_day_reasons AS r (day, site_id, reason, shard, clicks)
            SELECT (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, site_id, CASE WHEN is_valid THEN '' ELSE invalid_reason END, {1}, count(*)
            FROM {0} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (day, site_id, reason, shard) DO UPDATE SET clicks = r.clicks + excluded.clicks;
            """;

        /// <summary>The sub1 rollup's upsert from a set of clicks ({0}) into shard {1}, rows in key order.</summary>
        private const string AddSubClicks = """
            INSERT INTO click_day_subs AS r (webmaster_id, day, site_id, sub1, shard, valid, invalid)
            SELECT webmaster_id, (occurred_at AT TIME ZONE INTERVAL '8 hours')::date, site_id, coalesce(sub1, ''), {1},
                   count(*) FILTER (WHERE is_valid), count(*) FILTER (WHERE NOT is_valid)
            FROM {0} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (webmaster_id, day, site_id, sub1, shard) DO UPDATE SET valid = r.valid + excluded.valid, invalid = r.invalid + excluded.invalid;
            """;

        private static string Functions(string addFromNewClicks, string addFromClicks) => $$"""
            CREATE OR REPLACE FUNCTION add_clicks_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
            {{addFromNewClicks}}
            RETURN NULL;
            END $fn$;
            CREATE OR REPLACE FUNCTION rebuild_click_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
            BEGIN
            -- No click may come in while the rollups are rebuilt, or the trigger and the rebuild would both count it.
            LOCK TABLE clicks IN SHARE MODE;
            TRUNCATE click_day_sites, click_day_items, click_day_webmaster_items, click_day_reasons;
            {{addFromClicks}}
            END $fn$;
            """;

        private static string Sharded(string source, string shard) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, AddClicks, source, shard);

        private static string WithSubs(string source, string shard) =>
            Sharded(source, shard)
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, AddSubClicks, source, shard);

        private const string Notifications = """
            DROP TRIGGER items_notify_click_targets ON items;
            CREATE TRIGGER items_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF shop_id, commission_rate_bp, is_listed, external_url OR TRUNCATE ON items
                FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
            DROP TRIGGER shops_notify_click_targets ON shops;
            CREATE TRIGGER shops_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF general_rate_bp, store_host OR TRUNCATE ON shops
                FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
            """;

        private const string OldNotifications = """
            DROP TRIGGER items_notify_click_targets ON items;
            CREATE TRIGGER items_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF shop_id, commission_rate_bp, is_listed OR TRUNCATE ON items
                FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
            DROP TRIGGER shops_notify_click_targets ON shops;
            CREATE TRIGGER shops_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF general_rate_bp OR TRUNCATE ON shops
                FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "store_host",
                table: "shops",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "external_url",
                table: "items",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub1",
                table: "commissions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub2",
                table: "commissions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub3",
                table: "commissions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub4",
                table: "commissions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub5",
                table: "commissions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub1",
                table: "clicks",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub2",
                table: "clicks",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub3",
                table: "clicks",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub4",
                table: "clicks",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sub5",
                table: "clicks",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "click_day_subs",
                columns: table => new
                {
                    shard = table.Column<short>(type: "smallint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    sub1 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    valid = table.Column<long>(type: "bigint", nullable: false),
                    invalid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_click_day_subs", x => new { x.webmaster_id, x.day, x.site_id, x.sub1, x.shard });
                });

            migrationBuilder.CreateIndex(
                name: "ix_shops_store_host",
                table: "shops",
                column: "store_host",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_items_external_url",
                table: "items",
                column: "external_url");

            // The rebuild also empties and refills click_day_subs; the trigger adds to it like to the other rollups.
            migrationBuilder.Sql(Functions(
                WithSubs("new_clicks", $"(pg_backend_pid() % {Reports.RollupShards.Count})::smallint"), WithSubs("clicks", "0"))
                .Replace("TRUNCATE click_day_sites, click_day_items, click_day_webmaster_items, click_day_reasons;",
                    "TRUNCATE click_day_sites, click_day_items, click_day_webmaster_items, click_day_reasons, click_day_subs;", StringComparison.Ordinal));
            migrationBuilder.Sql(Notifications);
            // Clicks already there count too (all without a sub1), in shard 0 as the rebuild writes.
            migrationBuilder.Sql(string.Format(System.Globalization.CultureInfo.InvariantCulture, AddSubClicks, "clicks", "0"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OldNotifications);
            migrationBuilder.Sql(Functions(
                Sharded("new_clicks", $"(pg_backend_pid() % {Reports.RollupShards.Count})::smallint"), Sharded("clicks", "0")));
            migrationBuilder.DropTable(
                name: "click_day_subs");

            migrationBuilder.DropIndex(
                name: "ix_shops_store_host",
                table: "shops");

            migrationBuilder.DropIndex(
                name: "ix_items_external_url",
                table: "items");

            migrationBuilder.DropColumn(
                name: "store_host",
                table: "shops");

            migrationBuilder.DropColumn(
                name: "external_url",
                table: "items");

            migrationBuilder.DropColumn(
                name: "sub1",
                table: "commissions");

            migrationBuilder.DropColumn(
                name: "sub2",
                table: "commissions");

            migrationBuilder.DropColumn(
                name: "sub3",
                table: "commissions");

            migrationBuilder.DropColumn(
                name: "sub4",
                table: "commissions");

            migrationBuilder.DropColumn(
                name: "sub5",
                table: "commissions");

            migrationBuilder.DropColumn(
                name: "sub1",
                table: "clicks");

            migrationBuilder.DropColumn(
                name: "sub2",
                table: "clicks");

            migrationBuilder.DropColumn(
                name: "sub3",
                table: "clicks");

            migrationBuilder.DropColumn(
                name: "sub4",
                table: "clicks");

            migrationBuilder.DropColumn(
                name: "sub5",
                table: "clicks");
        }
    }
}
