using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Attribution.Orders;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Orders;

/// <summary>
/// A <c>refunded</c> event: each named line gives back units and money, its commission is recomputed on
/// what is still paid, and the difference is posted — a reversal before settlement, a clawback after it.
/// </summary>
internal sealed class OrderRefunds(AllianceDbContext db, LedgerWriter ledger, OrderRecords records, Notifier notifier, HookOutbox hooks)
{
    public async Task<OrderEventOutcome> RefundedAsync(OrderEventCommand command, string eventKey, CancellationToken ct)
    {
        if (await records.LockAsync(command, ct) is not { } order) return OrderEventProcessor.UnknownOrder(command);
        var commissions = await db.Commissions.Where(c => c.OrderId == order.Id).ToDictionaryAsync(c => c.OrderLineId, ct);
        CommissionAmounts reversed = default, clawedBack = default;
        var changed = new List<Commission>();
        foreach (var refund in command.Lines)
        {
            var line = order.Lines.SingleOrDefault(l => l.ItemId == refund.ItemId);
            if (line is null)
                return OrderEventOutcome.Refused(OrderEventRefusal.UnknownLine, $"Order {order.ExternalOrderId} has no line for item {refund.ItemId}.");
            var amounts = Amounts(line);
            var taken = RefundRules.ForLine(amounts, refund.Quantity, refund.PaidFen);
            if (taken.Refusal == LineRefundRefusal.MoreUnitsThanLeft)
            {
                return OrderEventOutcome.Refused(OrderEventRefusal.RefundTooLarge,
                    $"Item {refund.ItemId}: {refund.Quantity} refunded but only {amounts.QuantityLeft} left to refund.");
            }
            if (taken.Refusal == LineRefundRefusal.MoreMoneyThanLeft)
            {
                return OrderEventOutcome.Refused(OrderEventRefusal.RefundTooLarge,
                    $"Item {refund.ItemId}: ¥{taken.Fen / 100m:0.00} refunded but only ¥{amounts.FenLeft / 100m:0.00} left.");
            }
            line.RefundedQuantity += refund.Quantity;
            line.RefundedFen += taken.Fen;

            if (commissions.GetValueOrDefault(line.Id) is not { State: CommissionState.Pending or CommissionState.Settled } commission) continue;
            var change = RefundRules.OnCommission(commission.Terms(), commission.RefundedBaseFen, taken.Fen);
            commission.RefundedBaseFen = change.RefundedBaseFen;
            changed.Add(commission);
            if (commission.State == CommissionState.Settled)
            {
                clawedBack += change.GivenBack;
                if (change.FullyRefunded) commission.State = CommissionState.ClawedBack;
            }
            else
            {
                reversed += change.GivenBack;
                if (change.FullyRefunded) commission.State = CommissionState.Reversed;
            }
            if (change.GivenBack.Subsidy.Fen > 0)
            {
                // Subsidy given back returns to the programme's budget.
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE subsidy_programmes SET spent_fen = spent_fen - {change.GivenBack.Subsidy.Fen} WHERE id = {commission.SubsidyProgrammeId}", ct);
            }
        }
        if (RefundRules.EndsOrder([.. order.Lines.Select(Amounts)])) order.State = OrderState.Refunded;
        await db.SaveChangesAsync(ct);

        if (commissions.Count > 0)
        {
            var sellerId = await db.Shops.Where(s => s.Id == order.ShopId).Select(s => s.SellerId).SingleAsync(ct);
            var webmasterId = commissions.Values.First().WebmasterId;
            var refundKey = eventKey[..16];
            if (reversed != default)
                await ledger.PostAsync(Postings.CommissionReversed(order.Id, sellerId, webmasterId, reversed, refundKey), new(order.Id), ct: ct);
            if (clawedBack != default)
                await ledger.PostAsync(Postings.CommissionClawedBack(order.Id, sellerId, webmasterId, clawedBack, refundKey), new(order.Id), ct: ct);
            var givenBack = reversed.WebmasterTotal + clawedBack.WebmasterTotal;
            if (givenBack.Fen != 0)
                await notifier.CommissionReversedAsync(webmasterId, order.Id, order.ExternalOrderId, givenBack.Fen, clawback: clawedBack != default, voided: false, ct);
        }
        await hooks.CommissionsRefundedAsync(order, changed, ct);
        return await records.ResultAsync(order, ct);
    }

    private static LineAmounts Amounts(OrderLine line) => new(line.Quantity, line.PaidFen, line.RefundedQuantity, line.RefundedFen);
}
