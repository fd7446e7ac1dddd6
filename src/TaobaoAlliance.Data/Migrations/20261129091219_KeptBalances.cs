using Microsoft.EntityFrameworkCore.Migrations;
using TaobaoAlliance.Data.Ledger;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// The parties' ledger accounts keep their balance (ledger_accounts.balance_fen), kept by a trigger on journal_lines
    /// and filled from the lines already there, so no request sums a history that grows forever (see LedgerTriggers).
    /// </summary>
    public partial class KeptBalances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "balance_fen",
                table: "ledger_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.Sql(LedgerTriggers.KeepBalances);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LedgerTriggers.StopKeepingBalances);
            migrationBuilder.DropColumn(
                name: "balance_fen",
                table: "ledger_accounts");
        }
    }
}
