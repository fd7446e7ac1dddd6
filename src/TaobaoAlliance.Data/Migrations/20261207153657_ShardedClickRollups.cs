using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// The click rollups get a shard in their key (see Data/Reports/ClickRollups.cs, RollupShards): the clicks trigger
    /// adds a statement's clicks to the rows of its session's shard (backend pid modulo 16), so concurrent writers of a
    /// hot key no longer queue on one row lock until each other's commit. The rebuild writes shard 0.
    /// </summary>
    public partial class ShardedClickRollups : Migration
    {
        /// <summary>The upserts from a set of clicks ({0}: the trigger's transition table, or clicks) into shard {1}; as in ReportRollups, rows in key order.</summary>
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

        /// <summary>The upserts without a shard, as ReportRollups wrote them (for Down).</summary>
        private static string Unsharded(string source) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, ReportRollups.AddClicks, source);
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_webmaster_items",
                table: "click_day_webmaster_items");

            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_sites",
                table: "click_day_sites");

            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_reasons",
                table: "click_day_reasons");

            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_items",
                table: "click_day_items");

            migrationBuilder.AddColumn<short>(
                name: "shard",
                table: "click_day_webmaster_items",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddColumn<short>(
                name: "shard",
                table: "click_day_sites",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddColumn<short>(
                name: "shard",
                table: "click_day_reasons",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddColumn<short>(
                name: "shard",
                table: "click_day_items",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_webmaster_items",
                table: "click_day_webmaster_items",
                columns: new[] { "webmaster_id", "day", "item_id", "shard" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_sites",
                table: "click_day_sites",
                columns: new[] { "webmaster_id", "day", "site_id", "zone_id", "shard" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_reasons",
                table: "click_day_reasons",
                columns: new[] { "day", "site_id", "reason", "shard" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_items",
                table: "click_day_items",
                columns: new[] { "day", "item_id", "shard" });

            migrationBuilder.Sql(Functions(Sharded("new_clicks", $"(pg_backend_pid() % {Reports.RollupShards.Count})::smallint"), Sharded("clicks", "0")));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Shards cannot fold into the old keys in place: the rollups are emptied here and rebuilt at the end.
            migrationBuilder.Sql("TRUNCATE click_day_sites, click_day_items, click_day_webmaster_items, click_day_reasons;");
            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_webmaster_items",
                table: "click_day_webmaster_items");

            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_sites",
                table: "click_day_sites");

            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_reasons",
                table: "click_day_reasons");

            migrationBuilder.DropPrimaryKey(
                name: "pk_click_day_items",
                table: "click_day_items");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "click_day_webmaster_items");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "click_day_sites");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "click_day_reasons");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "click_day_items");

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_webmaster_items",
                table: "click_day_webmaster_items",
                columns: new[] { "webmaster_id", "day", "item_id" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_sites",
                table: "click_day_sites",
                columns: new[] { "webmaster_id", "day", "site_id", "zone_id" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_reasons",
                table: "click_day_reasons",
                columns: new[] { "day", "site_id", "reason" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_click_day_items",
                table: "click_day_items",
                columns: new[] { "day", "item_id" });

            migrationBuilder.Sql(Functions(Unsharded("new_clicks"), Unsharded("clicks")) + "SELECT rebuild_click_rollups();");
        }
    }
}
