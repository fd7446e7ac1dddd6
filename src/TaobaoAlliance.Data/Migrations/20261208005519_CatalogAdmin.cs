using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogAdmin : Migration
    {
        // A platform delisting changes what the click path and the ad book read (is_on_sale, generated from
        // is_listed and delisted_at): the items triggers of both channels now fire on delisted_at too. (A generated
        // column never appears in an UPDATE's SET list, so UPDATE OF cannot name it; its inputs are named instead.)
        private const string Triggers = """
            DROP TRIGGER items_notify_click_targets ON items;
            CREATE TRIGGER items_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF shop_id, commission_rate_bp, is_listed, delisted_at, external_url OR TRUNCATE ON items
                FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
            DROP TRIGGER items_notify_ad_campaigns ON items;
            CREATE TRIGGER items_notify_ad_campaigns
                AFTER INSERT OR DELETE OR UPDATE OF shop_id, is_listed, delisted_at, title_zh, title_en, price_fen, image_url OR TRUNCATE ON items
                FOR EACH STATEMENT EXECUTE FUNCTION notify_ad_campaigns();
            """;

        private const string OldTriggers = """
            DROP TRIGGER items_notify_click_targets ON items;
            CREATE TRIGGER items_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF shop_id, commission_rate_bp, is_listed, external_url OR TRUNCATE ON items
                FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
            DROP TRIGGER items_notify_ad_campaigns ON items;
            CREATE TRIGGER items_notify_ad_campaigns
                AFTER INSERT OR DELETE OR UPDATE OF shop_id, is_listed, title_zh, title_en, price_fen, image_url OR TRUNCATE ON items
                FOR EACH STATEMENT EXECUTE FUNCTION notify_ad_campaigns();
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_items_category_id_is_listed",
                table: "items");

            migrationBuilder.DropIndex(
                name: "ix_items_shop_id_is_listed",
                table: "items");

            migrationBuilder.AddColumn<string>(
                name: "delist_note",
                table: "items",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "delist_reason",
                table: "items",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "delisted_at",
                table: "items",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retired_at",
                table: "categories",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "sort_order",
                table: "categories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "is_on_sale",
                table: "items",
                type: "boolean",
                nullable: false,
                computedColumnSql: "is_listed AND delisted_at IS NULL",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_items_category_id_is_on_sale",
                table: "items",
                columns: new[] { "category_id", "is_on_sale" });

            migrationBuilder.CreateIndex(
                name: "ix_items_delisted_at",
                table: "items",
                column: "delisted_at",
                filter: "delisted_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_items_shop_id_is_on_sale",
                table: "items",
                columns: new[] { "shop_id", "is_on_sale" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_items_delisted_with_reason",
                table: "items",
                sql: "(delisted_at IS NULL) = (delist_reason IS NULL)");

            migrationBuilder.Sql(Triggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OldTriggers);

            migrationBuilder.DropIndex(
                name: "ix_items_category_id_is_on_sale",
                table: "items");

            migrationBuilder.DropIndex(
                name: "ix_items_delisted_at",
                table: "items");

            migrationBuilder.DropIndex(
                name: "ix_items_shop_id_is_on_sale",
                table: "items");

            migrationBuilder.DropCheckConstraint(
                name: "ck_items_delisted_with_reason",
                table: "items");

            migrationBuilder.DropColumn(
                name: "is_on_sale",
                table: "items");

            migrationBuilder.DropColumn(
                name: "delist_note",
                table: "items");

            migrationBuilder.DropColumn(
                name: "delist_reason",
                table: "items");

            migrationBuilder.DropColumn(
                name: "delisted_at",
                table: "items");

            migrationBuilder.DropColumn(
                name: "retired_at",
                table: "categories");

            migrationBuilder.DropColumn(
                name: "sort_order",
                table: "categories");

            migrationBuilder.CreateIndex(
                name: "ix_items_category_id_is_listed",
                table: "items",
                columns: new[] { "category_id", "is_listed" });

            migrationBuilder.CreateIndex(
                name: "ix_items_shop_id_is_listed",
                table: "items",
                columns: new[] { "shop_id", "is_listed" });
        }
    }
}
