using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class SellersAndCpc : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_cpc_charges_split",
                table: "cpc_charges");

            migrationBuilder.AddColumn<string>(
                name: "description",
                table: "shops",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "impression_id",
                table: "cpc_charges",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "outcome",
                table: "cpc_charges",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "wallet_deposits",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    seller_id = table.Column<long>(type: "bigint", nullable: false),
                    amount_fen = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    gateway_reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    failure_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wallet_deposits", x => x.id);
                    table.CheckConstraint("ck_wallet_deposits_amount_fen", "amount_fen > 0");
                    table.ForeignKey(
                        name: "fk_wallet_deposits_sellers_seller_id",
                        column: x => x.seller_id,
                        principalTable: "sellers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cpc_charges_impression_id",
                table: "cpc_charges",
                column: "impression_id",
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_cpc_charges_split",
                table: "cpc_charges",
                sql: "price_fen >= 0 AND webmaster_share_fen >= 0 AND platform_margin_fen >= 0 AND price_fen = webmaster_share_fen + platform_margin_fen AND (outcome = 'Charged' OR price_fen = 0)");

            migrationBuilder.CreateIndex(
                name: "ix_wallet_deposits_seller_id_created_at",
                table: "wallet_deposits",
                columns: new[] { "seller_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wallet_deposits");

            migrationBuilder.DropIndex(
                name: "ix_cpc_charges_impression_id",
                table: "cpc_charges");

            migrationBuilder.DropCheckConstraint(
                name: "ck_cpc_charges_split",
                table: "cpc_charges");

            migrationBuilder.DropColumn(
                name: "description",
                table: "shops");

            migrationBuilder.DropColumn(
                name: "impression_id",
                table: "cpc_charges");

            migrationBuilder.DropColumn(
                name: "outcome",
                table: "cpc_charges");

            migrationBuilder.AddCheckConstraint(
                name: "ck_cpc_charges_split",
                table: "cpc_charges",
                sql: "price_fen >= 0 AND webmaster_share_fen >= 0 AND platform_margin_fen >= 0 AND price_fen = webmaster_share_fen + platform_margin_fen");
        }
    }
}
