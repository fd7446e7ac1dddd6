using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class CpcHoldAndVoid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_ledger_accounts_owner",
                table: "ledger_accounts");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "released_at",
                table: "cpc_charges",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "voided_at",
                table: "cpc_charges",
                type: "timestamp with time zone",
                nullable: true);

            // Paid clicks charged before the CPC hold credited the webmaster's available balance at once: they are released
            // already, so the release run never moves their share a second time.
            migrationBuilder.Sql("UPDATE cpc_charges SET released_at = charged_at WHERE outcome = 'Charged'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_ledger_accounts_owner",
                table: "ledger_accounts",
                sql: "(kind IN ('SellerWallet','SellerCommissionDue') AND seller_id IS NOT NULL AND webmaster_id IS NULL) OR (kind IN ('WebmasterPending','WebmasterAvailable','WebmasterCpcPending','WebmasterPayoutRequested','WebmasterPaidOut') AND webmaster_id IS NOT NULL AND seller_id IS NULL) OR (kind IN ('PlatformRevenue','PlatformSubsidy','External') AND seller_id IS NULL AND webmaster_id IS NULL)");

            migrationBuilder.CreateIndex(
                name: "ix_cpc_charges_charged_at_webmaster_id",
                table: "cpc_charges",
                columns: new[] { "charged_at", "webmaster_id" },
                filter: "outcome = 'Charged' AND released_at IS NULL AND voided_at IS NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_cpc_charges_hold",
                table: "cpc_charges",
                sql: "(released_at IS NULL AND voided_at IS NULL) OR outcome = 'Charged'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_ledger_accounts_owner",
                table: "ledger_accounts");

            migrationBuilder.DropIndex(
                name: "ix_cpc_charges_charged_at_webmaster_id",
                table: "cpc_charges");

            migrationBuilder.DropCheckConstraint(
                name: "ck_cpc_charges_hold",
                table: "cpc_charges");

            migrationBuilder.DropColumn(
                name: "released_at",
                table: "cpc_charges");

            migrationBuilder.DropColumn(
                name: "voided_at",
                table: "cpc_charges");

            migrationBuilder.AddCheckConstraint(
                name: "ck_ledger_accounts_owner",
                table: "ledger_accounts",
                sql: "(kind IN ('SellerWallet','SellerCommissionDue') AND seller_id IS NOT NULL AND webmaster_id IS NULL) OR (kind IN ('WebmasterPending','WebmasterAvailable','WebmasterPayoutRequested','WebmasterPaidOut') AND webmaster_id IS NOT NULL AND seller_id IS NULL) OR (kind IN ('PlatformRevenue','PlatformSubsidy','External') AND seller_id IS NULL AND webmaster_id IS NULL)");
        }
    }
}
