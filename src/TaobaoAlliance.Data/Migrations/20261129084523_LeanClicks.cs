using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeanClicks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_clicks_ad_zones_zone_id",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "fk_clicks_campaigns_campaign_id",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "fk_clicks_items_item_id",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "fk_clicks_links_link_id",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "fk_clicks_shops_shop_id",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "fk_clicks_sites_site_id",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "fk_clicks_webmasters_webmaster_id",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "ix_clicks_campaign_id",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "ix_clicks_link_id",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "ix_clicks_shop_id",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "ix_clicks_site_id_ip_hash_occurred_at",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "ix_clicks_zone_id",
                table: "clicks");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_site_id_occurred_at",
                table: "clicks",
                columns: new[] { "site_id", "occurred_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_clicks_site_id_occurred_at",
                table: "clicks");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_campaign_id",
                table: "clicks",
                column: "campaign_id");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_link_id",
                table: "clicks",
                column: "link_id");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_shop_id",
                table: "clicks",
                column: "shop_id");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_site_id_ip_hash_occurred_at",
                table: "clicks",
                columns: new[] { "site_id", "ip_hash", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_clicks_zone_id",
                table: "clicks",
                column: "zone_id");

            migrationBuilder.AddForeignKey(
                name: "fk_clicks_ad_zones_zone_id",
                table: "clicks",
                column: "zone_id",
                principalTable: "ad_zones",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_clicks_campaigns_campaign_id",
                table: "clicks",
                column: "campaign_id",
                principalTable: "campaigns",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_clicks_items_item_id",
                table: "clicks",
                column: "item_id",
                principalTable: "items",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_clicks_links_link_id",
                table: "clicks",
                column: "link_id",
                principalTable: "links",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_clicks_shops_shop_id",
                table: "clicks",
                column: "shop_id",
                principalTable: "shops",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_clicks_sites_site_id",
                table: "clicks",
                column: "site_id",
                principalTable: "sites",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_clicks_webmasters_webmaster_id",
                table: "clicks",
                column: "webmaster_id",
                principalTable: "webmasters",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
