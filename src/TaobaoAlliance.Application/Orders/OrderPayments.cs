using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Hooks;
using SubIds = TaobaoAlliance.Attribution.Clicks.SubIds;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Attribution.Orders;
using TaobaoAlliance.Attribution.Texts;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Orders;

/// <summary>
/// A <c>paid</c> event: the order and its lines, the winning click, and one commission per earning line
/// with its subsidy, posted to the ledger as one accrual.
/// </summary>
internal sealed class OrderPayments(AllianceDbContext db, LedgerWriter ledger, OrderRecords records, AllianceOptions options, HookOutbox hooks)
{
    public async Task<OrderEventOutcome> PaidAsync(OrderEventCommand command, CancellationToken ct)
    {
        var existing = await db.Orders.Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.ShopId == command.ShopId && o.ExternalOrderId == command.ExternalOrderId, ct);
        if (existing is not null)
        {
            // The same order paid twice is one order; paid again with other lines or amounts it is a
            // contradiction the store must sort out, and the order stays as first paid.
            var paid = existing.Lines.Select(l => (l.ItemId, l.Quantity, l.PaidFen)).Order();
            var again = command.Lines.Select(l => (l.ItemId, l.Quantity, l.PaidFen)).Order();
            return paid.SequenceEqual(again)
                ? await records.ResultAsync(existing, ct)
                : OrderEventOutcome.Refused(OrderEventRefusal.PaidDifferently,
                    $"Order {command.ExternalOrderId} of shop {command.ShopId} was already paid with other lines or amounts; nothing was changed.");
        }

        var itemIds = command.Lines.Select(l => l.ItemId).ToList();
        var categoryOf = await db.Items.Where(i => itemIds.Contains(i.Id) && i.ShopId == command.ShopId)
            .Select(i => new { i.Id, i.CategoryId }).ToDictionaryAsync(i => i.Id, i => i.CategoryId, ct);
        if (itemIds.FirstOrDefault(id => !categoryOf.ContainsKey(id)) is var unknown and > 0)
            return OrderEventOutcome.Refused(OrderEventRefusal.UnknownItem, $"Item {unknown} is not an item of shop {command.ShopId}.");
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == command.ShopId, ct);

        var order = new Order
        {
            ShopId = command.ShopId,
            ExternalOrderId = command.ExternalOrderId,
            Source = command.Source,
            CheckoutId = command.CheckoutId,
            BuyerUserId = command.BuyerUserId,
            BuyerRef = command.BuyerRef,
            VisitorId = command.VisitorId,
            ClickIdHint = command.ClickId,
            State = OrderState.Paid,
            PaidAt = command.OccurredAt,
            CreatedAt = command.OccurredAt,
        };
        order.Lines.AddRange(command.Lines.Select(l => new OrderLine { ItemId = l.ItemId, Quantity = l.Quantity, PaidFen = l.PaidFen }));
        db.Orders.Add(order);

        var decision = await AttributeAsync(command, ct);
        order.AttributedClickId = decision.Winner?.Id;
        var phrases = decision.Phrases.ToList();
        if (decision.Winner is { } click)
        {
            var webmasterUserId = await db.Webmasters.Where(w => w.Id == click.WebmasterId).Select(w => w.UserId).SingleAsync(ct);
            var earning = OrderEarningRules.Decide(click, command.ShopId, command.BuyerUserId, webmasterUserId);
            order.FraudFlag = earning.FraudFlag;
            if (!earning.Earns)
            {
                if (earning.Why is { } why) phrases.Add(why);
            }
            else
            {
                await db.SaveChangesAsync(ct); // line ids
                var total = await AccrueAsync(order, click, categoryOf, ct);
                await db.SaveChangesAsync(ct);
                await ledger.PostAsync(Postings.CommissionAccrued(order.Id, shop.SellerId, click.WebmasterId, total), new(order.Id), ct: ct);
            }
        }
        // English beside the codes: the Orders API, webhooks and rows of older versions read the note as text.
        var note = phrases.English();
        order.AttributionNote = note.Length > 2000 ? note[..2000] : note;
        order.AttributionPhrases = Phrases.ToJson(phrases);
        await db.SaveChangesAsync(ct);
        await hooks.OrderPaidAsync(order, ct);
        return await records.ResultAsync(order, ct);
    }

    private async Task<AttributionDecision> AttributeAsync(OrderEventCommand command, CancellationToken ct)
    {
        var window = TimeSpan.FromDays(options.AttributionWindowDays);
        var from = command.OccurredAt - window;
        ClickFacts? explicitClick = null;
        if (command.ClickId is { } clickId)
        {
            explicitClick = await db.Clicks.AsNoTracking().WithId(clickId).Select(Facts).SingleOrDefaultAsync(ct);
        }
        var visitorClicks = command.VisitorId is { } visitor
            ? await db.Clicks.AsNoTracking()
                .Where(c => c.VisitorId == visitor && c.OccurredAt >= from && c.OccurredAt <= command.OccurredAt)
                .OrderByDescending(c => c.OccurredAt).Take(50).Select(Facts).ToListAsync(ct)
            : [];
        return LastClickAttribution.Decide(explicitClick, visitorClicks, command.OccurredAt, window, command.ShopId);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Click, ClickFacts>> Facts = c => new ClickFacts(
        c.Id, c.OccurredAt, c.IsValid, c.InvalidReason, c.WebmasterId, c.SiteId, c.ItemId, c.ShopId, c.ItemRateBp, c.ShopRateBp, c.CampaignId);

    /// <summary>Creates one commission per earning line and returns their sum for the ledger.</summary>
    private async Task<CommissionAmounts> AccrueAsync(Order order, ClickFacts click, Dictionary<long, int> categoryOf, CancellationToken ct)
    {
        var fee = new Rate(options.PlatformFeeBp);
        var running = await db.SubsidyProgrammes.AsNoTracking()
            .Where(p => p.IsActive && p.StartsAt <= order.PaidAt && p.EndsAt > order.PaidAt && p.SpentFen < p.CapFen)
            .Select(p => new SubsidyTerms(p.Id, p.Name, p.BonusBp, p.CategoryId))
            .ToListAsync(ct);
        // The winning click's sub-ids travel on each commission, so reports, the API and postbacks never read raw clicks.
        var subIds = await db.Clicks.AsNoTracking().WithId(click.Id)
            .Select(c => new SubIds(c.Sub1, c.Sub2, c.Sub3, c.Sub4, c.Sub5)).FirstOrDefaultAsync(ct) ?? SubIds.None;
        var total = default(CommissionAmounts);
        foreach (var line in order.Lines)
        {
            var earned = CommissionCalculator.ForLine(click, order.ShopId, line.ItemId, new Money(line.PaidFen), fee);
            if (earned is null) continue;
            var amounts = earned.Amounts;
            var why = new List<Phrase> { earned.Why };
            var subsidy = SubsidyRules.Choose(running, categoryOf[line.ItemId], amounts.Webmaster);
            if (subsidy is not null)
            {
                var granted = await GrantSubsidyAsync(subsidy, ct);
                amounts = amounts with { Subsidy = granted };
                why.Add(SubsidyRules.SubsidyPhrase(subsidy, granted));
            }
            var explanation = why.English();
            var subsidised = amounts.Subsidy.Fen > 0 ? subsidy!.Terms : null;
            db.Commissions.Add(new Commission
            {
                OrderLineId = line.Id,
                OrderId = order.Id,
                WebmasterId = click.WebmasterId,
                ClickId = click.Id,
                SiteId = click.SiteId,
                RateBp = earned.RateBp,
                RateKind = earned.RateKind,
                PlatformFeeBp = fee.BasisPoints,
                SubsidyBonusBp = subsidised?.BonusBp ?? 0,
                SubsidyProgrammeId = subsidised?.ProgrammeId,
                BaseFen = line.PaidFen,
                CommissionFen = amounts.Commission.Fen,
                PlatformFeeFen = amounts.PlatformFee.Fen,
                WebmasterFen = amounts.Webmaster.Fen,
                SubsidyFen = amounts.Subsidy.Fen,
                State = CommissionState.Pending,
                Explanation = explanation.Length > 1000 ? explanation[..1000] : explanation,
                ExplanationPhrases = Phrases.ToJson(why),
                CreatedAt = order.PaidAt,
                Sub1 = subIds.Sub1,
                Sub2 = subIds.Sub2,
                Sub3 = subIds.Sub3,
                Sub4 = subIds.Sub4,
                Sub5 = subIds.Sub5,
            });
            total += amounts;
        }
        return total;
    }

    private sealed record SubsidyBudget(long CapFen, long SpentFen);

    /// <summary>
    /// Takes what the rules grant from the programme's cap, under a lock on the programme so that concurrent
    /// orders never pass the cap together; returns what was granted.
    /// </summary>
    private async Task<Money> GrantSubsidyAsync(SubsidyChoice subsidy, CancellationToken ct)
    {
        var id = subsidy.Terms.ProgrammeId;
        var budget = (await db.Database.SqlQuery<SubsidyBudget>(
            // is_active again under the lock: an admin who ended the programme meanwhile has ended it for this order too.
            $"SELECT cap_fen, spent_fen FROM subsidy_programmes WHERE id = {id} AND is_active FOR UPDATE")
            .ToListAsync(ct)).SingleOrDefault();
        if (budget is null) return Money.Zero;
        var granted = SubsidyRules.Granted(subsidy.Wanted, budget.CapFen, budget.SpentFen);
        if (granted.Fen > 0)
        {
            await db.Database.ExecuteSqlAsync($"UPDATE subsidy_programmes SET spent_fen = spent_fen + {granted.Fen} WHERE id = {id}", ct);
        }
        return granted;
    }
}
