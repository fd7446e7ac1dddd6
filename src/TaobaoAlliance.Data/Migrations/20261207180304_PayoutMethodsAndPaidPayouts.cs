using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class PayoutMethodsAndPaidPayouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "paid_at",
                table: "payout_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "paid_by_user_id",
                table: "payout_requests",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "paid_reference",
                table: "payout_requests",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "payout_methods",
                columns: table => new
                {
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    holder_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    bank_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    protected_account = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    masked_account = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payout_methods", x => x.webmaster_id);
                    table.ForeignKey(
                        name: "fk_payout_methods_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_payout_requests_paid_by_user_id",
                table: "payout_requests",
                column: "paid_by_user_id");

            migrationBuilder.AddForeignKey(
                name: "fk_payout_requests_asp_net_users_paid_by_user_id",
                table: "payout_requests",
                column: "paid_by_user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_payout_requests_asp_net_users_paid_by_user_id",
                table: "payout_requests");

            migrationBuilder.DropTable(
                name: "payout_methods");

            migrationBuilder.DropIndex(
                name: "ix_payout_requests_paid_by_user_id",
                table: "payout_requests");

            migrationBuilder.DropColumn(
                name: "paid_at",
                table: "payout_requests");

            migrationBuilder.DropColumn(
                name: "paid_by_user_id",
                table: "payout_requests");

            migrationBuilder.DropColumn(
                name: "paid_reference",
                table: "payout_requests");
        }
    }
}
