using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// The admin's traffic economics rollups (Data/Reports/EconomicsRollups.cs): cpc_day_zones, kept by a statement trigger
    /// on cpc_charges and the impression flush; commission_day_sites, kept by a row trigger on commissions; both backfilled.
    /// </summary>
    public partial class TrafficEconomicsRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commission_day_sites",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    platform_fee_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    subsidy_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commission_day_sites", x => new { x.day, x.site_id });
                });

            migrationBuilder.CreateTable(
                name: "cpc_day_zones",
                columns: table => new
                {
                    shard = table.Column<short>(type: "smallint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    zone_id = table.Column<long>(type: "bigint", nullable: false),
                    campaign_id = table.Column<long>(type: "bigint", nullable: false),
                    impressions = table.Column<long>(type: "bigint", nullable: false),
                    paid_clicks = table.Column<long>(type: "bigint", nullable: false),
                    bought_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    sold_fen = table.Column<decimal>(type: "numeric", nullable: false),
                    margin_fen = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cpc_day_zones", x => new { x.day, x.site_id, x.zone_id, x.campaign_id, x.shard });
                });

            migrationBuilder.Sql(Reports.EconomicsRollupsSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Reports.EconomicsRollupsSql.Down);

            migrationBuilder.DropTable(
                name: "commission_day_sites");

            migrationBuilder.DropTable(
                name: "cpc_day_zones");
        }
    }
}
