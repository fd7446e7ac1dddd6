using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Issue 9, item 8: a refund naming every unit of an order but only part of its money used to end the
    /// order as Refunded, so the money left was never confirmed nor settled. This reopens those orders in
    /// the state they would have had: Settled when settlement already took their commissions, Confirmed
    /// when confirmed, else Paid; the order life then confirms and settles them. No money moves here: the
    /// refunds already reversed only the refunded part, so the rest is still pending in the ledger, as it
    /// should be. Idempotent: a reopened order no longer matches.
    /// </summary>
    public partial class ReopenOrdersWithMoneyLeft : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE orders o
                SET state = CASE
                    WHEN EXISTS (SELECT 1 FROM commissions c WHERE c.order_id = o.id AND c.settled_at IS NOT NULL) THEN 'Settled'
                    WHEN o.confirmed_at IS NOT NULL THEN 'Confirmed'
                    ELSE 'Paid' END
                WHERE o.state = 'Refunded'
                  AND (SELECT sum(l.paid_fen - l.refunded_fen) FROM order_lines l WHERE l.order_id = o.id) > 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: ending these orders as Refunded again would strand their money once more.
        }
    }
}
