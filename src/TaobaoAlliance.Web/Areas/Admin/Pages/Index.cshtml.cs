using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Replica;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Areas.Admin.Pages;

/// <summary>
/// The platform dashboard: for today, 7 and 30 days — GMV, commission, the platform's fee revenue, CPC
/// margin and subsidy spend, clicks (valid and invalid), orders and new sites waiting for review — and
/// what needs an admin now (sites to review, payout requests to decide).
/// </summary>
public sealed class IndexModel(ReportReads reads, TimeProvider clock, Application.Subsidies.SubsidyProgrammes subsidies) : PageModel
{
    // The dashboard only reads: from the read replica while it answers.
    private readonly AllianceDbContext db = reads.Db;

    /// <summary>The figures of one period. Order money counts orders paid in the period, net of refunds so far.</summary>
    public sealed record Figures(
        AdminPeriod Period, Money Gmv, Money Commission, Money PlatformFee, Money CpcMargin, Money Subsidy,
        int ValidClicks, int InvalidClicks, int Orders, int NewSitesPending)
    {
        /// <summary>What the platform keeps: fees and CPC margin, less the subsidies it paid.</summary>
        public Money NetRevenue => PlatformFee + CpcMargin - Subsidy;
    }

    public IReadOnlyList<Figures> Periods { get; private set; } = [];
    public int SitesPending { get; private set; }
    public int OpenPayouts { get; private set; }
    public Money OpenPayoutsTotal { get; private set; }

    /// <summary>The subsidy programmes not yet ended, with their spend against the cap.</summary>
    public IReadOnlyList<Application.Subsidies.SubsidyView> Subsidies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var periods = AdminPeriods.Standard(now);
        DateTimeOffset today = periods[0].From, week = periods[1].From, from = periods[2].From;

        // Orders and commissions from the day rollups (Data/Reports/SaleRollups.cs), kept by the database as orders,
        // refunds and commission states change: GMV net of refunds, commissions at what they are worth now. The periods
        // are whole China days up to now. Money is summed as numeric (decimal): totals can pass 2^63 fen. Each query
        // counts by bucket (0 = today, 1 = earlier this week, 2 = earlier this month); periods add buckets up.
        var (fromDay, weekDay, todayDay) = (ChinaTime.DayOf(from), ChinaTime.DayOf(week), ChinaTime.DayOf(today));
        var orderDays = await db.OrderDayShops.Where(r => r.Day >= fromDay && r.Day <= todayDay)
            .GroupBy(r => r.Day >= todayDay ? 0 : r.Day >= weekDay ? 1 : 2)
            .Select(g => new { Bucket = g.Key, Orders = g.Sum(r => r.Orders), Gmv = g.Sum(r => r.GmvFen) })
            .ToListAsync(ct);
        var orders = orderDays.ToDictionary(x => x.Bucket, x => x.Orders);
        var gmv = orderDays.ToDictionary(x => x.Bucket, x => Money.OfSum(x.Gmv).Fen);
        var commissionDays = await db.CommissionDayShops.Where(r => r.Day >= fromDay && r.Day <= todayDay)
            .GroupBy(r => r.Day >= todayDay ? 0 : r.Day >= weekDay ? 1 : 2)
            .Select(g => new { Bucket = g.Key, Commission = g.Sum(r => r.CommissionFen), Fee = g.Sum(r => r.PlatformFeeFen), Subsidy = g.Sum(r => r.SubsidyFen) })
            .ToListAsync(ct);
        var commission = commissionDays.ToDictionary(x => x.Bucket, x => Money.OfSum(x.Commission).Fen);
        var fee = commissionDays.ToDictionary(x => x.Bucket, x => Money.OfSum(x.Fee).Fen);
        var subsidy = commissionDays.ToDictionary(x => x.Bucket, x => Money.OfSum(x.Subsidy).Fen);

        var cpc = await db.CpcCharges.Where(c => c.ChargedAt >= from && c.ChargedAt <= now && c.VoidedAt == null)
            .GroupBy(c => c.ChargedAt >= today ? 0 : c.ChargedAt >= week ? 1 : 2)
            .Select(g => new { Bucket = g.Key, Fen = g.Sum(c => (decimal)c.PlatformMarginFen) })
            .ToDictionaryAsync(x => x.Bucket, x => Money.OfSum(x.Fen).Fen, ct);
        // Clicks from the day rollup: the periods are whole China days up to now (no click is stamped after now).
        var clicks = await db.ClickDaySites.Where(r => r.Day >= fromDay && r.Day <= todayDay)
            .GroupBy(r => r.Day >= todayDay ? 0 : r.Day >= weekDay ? 1 : 2)
            .Select(g => new { Bucket = g.Key, Valid = g.Sum(r => r.Valid), Invalid = g.Sum(r => r.Invalid) })
            .ToListAsync(ct);
        var validClicks = clicks.ToDictionary(c => c.Bucket, c => c.Valid);
        var invalidClicks = clicks.ToDictionary(c => c.Bucket, c => c.Invalid);
        var sites = await db.Sites.Where(s => s.State == SiteState.Pending && s.CreatedAt >= from && s.CreatedAt <= now)
            .GroupBy(s => s.CreatedAt >= today ? 0 : s.CreatedAt >= week ? 1 : 2)
            .Select(g => new { Bucket = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Bucket, x => (long)x.Count, ct);

        Periods = periods.Select((period, index) =>
        {
            // Period 0 is bucket 0; period 1 is buckets 0–1; period 2 is all three.
            long Up(IReadOnlyDictionary<int, long> buckets) => Enumerable.Range(0, index + 1).Sum(b => buckets.GetValueOrDefault(b));
            return new Figures(period, new Money(Up(gmv)), new Money(Up(commission)), new Money(Up(fee)), new Money(Up(cpc)), new Money(Up(subsidy)),
                (int)Up(validClicks), (int)Up(invalidClicks), (int)Up(orders), (int)Up(sites));
        }).ToList();

        SitesPending = await db.Sites.CountAsync(s => s.State == SiteState.Pending, ct);
        var open = await db.PayoutRequests.Where(p => p.State == PayoutState.Requested)
            .GroupBy(p => p.State).Select(g => new { Count = g.Count(), Fen = g.Sum(p => p.AmountFen) }).SingleOrDefaultAsync(ct);
        OpenPayouts = open?.Count ?? 0;
        OpenPayoutsTotal = new Money(open?.Fen ?? 0);
        Subsidies = [.. (await subsidies.ListAsync(ct)).Where(p => p.Status != Application.Subsidies.SubsidyStatus.Ended)];
    }
}
