using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TaobaoAlliance.Data.Ledger;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// The kept balances (KeptBalances) are updated once per inserted statement, from its transition table, instead of
    /// once per journal line (see LedgerTriggers.KeepBalancesPerStatement). No model change, so no designer file.
    /// </summary>
    [DbContext(typeof(AllianceDbContext))]
    [Migration("20261207153000_StatementBalances")]
    public partial class StatementBalances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(LedgerTriggers.KeepBalancesPerStatement);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(LedgerTriggers.KeepBalancesPerLine);
    }
}
