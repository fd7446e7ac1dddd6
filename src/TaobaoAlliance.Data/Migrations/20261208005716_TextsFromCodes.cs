using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Issue 15: attribution notes and commission explanations are kept as phrase codes with their arguments
    /// (jsonb, Attribution.Texts.Phrases) beside the English text, and read in the reader's language; rows written
    /// before keep null and show their English as written. Two indexes for the webmaster's pages: pending
    /// commissions by webmaster (when they settle), and the invalid-click reason rollup by site and day (reports).
    /// </summary>
    public partial class TextsFromCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "attribution_phrases",
                table: "orders",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "explanation_phrases",
                table: "commissions",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_commissions_webmaster_id",
                table: "commissions",
                column: "webmaster_id",
                filter: "state = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_click_day_reasons_site_id_day",
                table: "click_day_reasons",
                columns: new[] { "site_id", "day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_commissions_webmaster_id",
                table: "commissions");

            migrationBuilder.DropIndex(
                name: "ix_click_day_reasons_site_id_day",
                table: "click_day_reasons");

            migrationBuilder.DropColumn(
                name: "attribution_phrases",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "explanation_phrases",
                table: "commissions");
        }
    }
}
