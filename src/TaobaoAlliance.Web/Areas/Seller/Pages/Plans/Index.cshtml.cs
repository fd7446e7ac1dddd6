using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Plans;

/// <summary>
/// The seller's commission plans: each shop's general rate and the items with a rate of their own, and the
/// targeted plans with the webmasters' applications to approve or reject (with each applicant's email and
/// number of approved sites, to help decide). A plan can be ended; plans of other sellers are not found.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, TargetedPlans targetedPlans, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>Items with their own rate shown per shop; the items page has the rest.</summary>
    public const int OwnRatesShown = 20;

    public sealed record OwnRateItem(long Id, string Title, Rate Rate);

    public sealed record ShopPlan(long Id, string Name, Rate GeneralRate, int OwnRateCount, IReadOnlyList<OwnRateItem> OwnRates);

    public sealed record Application(long WebmasterId, string Email, string DisplayName, int ApprovedSites, PlanMembershipState State,
        DateTimeOffset AppliedAt, DateTimeOffset? DecidedAt);

    public sealed record TargetedPlanRow(long Id, string Name, long ShopId, string ShopName, long? ItemId, string? ItemTitle, Rate Rate,
        DateTimeOffset StartsAt, DateTimeOffset? EndsAt, PlanStatus Status, IReadOnlyList<Application> Applications)
    {
        public int Waiting => Applications.Count(a => a.State == PlanMembershipState.Applied);
    }

    public IReadOnlyList<ShopPlan> Shops { get; private set; } = [];
    public IReadOnlyList<TargetedPlanRow> Plans { get; private set; } = [];

    [TempData(Key = "SellerPlansMessage")] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        await LoadAsync(sellerId, ct);
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync(long planId, long webmasterId, CancellationToken ct) =>
        DecideAsync(planId, webmasterId, PlanMembershipState.Approved, ct);

    public Task<IActionResult> OnPostRejectAsync(long planId, long webmasterId, CancellationToken ct) =>
        DecideAsync(planId, webmasterId, PlanMembershipState.Rejected, ct);

    /// <summary>Deactivates a plan: from now on its members are paid the normal rates (clicks already made keep theirs).</summary>
    public async Task<IActionResult> OnPostEndAsync(long planId, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (await targetedPlans.EndAsync(sellerId, me.UserId, planId, ct) is not { } plan) return NotFound();
        Message = localizer["The plan “{0}” has ended: its members earn the normal rates from now on.", plan.Name].Value;
        return RedirectToPage("/Plans/Index", new { area = "Seller" });
    }

    private async Task<IActionResult> DecideAsync(long planId, long webmasterId, PlanMembershipState decision, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        var outcome = await targetedPlans.DecideAsync(sellerId, me.UserId, planId, webmasterId, decision, ct);
        if (outcome is null) return NotFound();
        if (outcome == PlanDecisionOutcome.Decided)
        {
            Message = (decision == PlanMembershipState.Approved
                ? localizer["Application approved: the webmaster earns the plan rate from their next click."]
                : localizer["Application rejected."]).Value;
        }
        return RedirectToPage("/Plans/Index", new { area = "Seller" });
    }

    private async Task LoadAsync(long sellerId, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var now = clock.GetUtcNow();
        var shops = await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
            .Select(s => new
            {
                s.Id, s.NameZh, s.NameEn, s.GeneralRateBp,
                OwnRateCount = s.Items.Count(i => i.CommissionRateBp != null),
                OwnRates = s.Items.Where(i => i.CommissionRateBp != null).OrderByDescending(i => i.CommissionRateBp).ThenBy(i => i.Id)
                    .Take(OwnRatesShown).Select(i => new { i.Id, i.TitleZh, i.TitleEn, Rate = i.CommissionRateBp!.Value }).ToList(),
            })
            .AsSplitQuery().ToListAsync(ct);
        Shops = [.. shops.Select(s => new ShopPlan(s.Id, zh ? s.NameZh : s.NameEn, new Rate(s.GeneralRateBp), s.OwnRateCount,
            [.. s.OwnRates.Select(i => new OwnRateItem(i.Id, zh ? i.TitleZh : i.TitleEn, new Rate(i.Rate)))]))];

        var plans = await (
            from p in db.TargetedPlans.AsNoTracking()
            where p.Shop.SellerId == sellerId
            join i in db.Items on p.ItemId equals i.Id into items
            from i in items.DefaultIfEmpty()
            orderby p.IsActive descending, p.StartsAt descending, p.Id descending
            select new
            {
                p.Id, p.Name, p.ShopId, ShopZh = p.Shop.NameZh, ShopEn = p.Shop.NameEn, p.ItemId,
                ItemZh = i == null ? null : i.TitleZh, ItemEn = i == null ? null : i.TitleEn,
                p.RateBp, p.StartsAt, p.EndsAt, p.IsActive,
            }).ToListAsync(ct);
        var planIds = plans.Select(p => p.Id).ToList();
        var applications = await (
            from m in db.TargetedPlanMembers.AsNoTracking()
            where planIds.Contains(m.PlanId)
            join w in db.Webmasters on m.WebmasterId equals w.Id
            orderby m.AppliedAt, m.WebmasterId
            select new
            {
                m.PlanId, m.WebmasterId, w.User.Email, w.User.DisplayName, m.State, m.AppliedAt, m.DecidedAt,
                ApprovedSites = db.Sites.Count(s => s.WebmasterId == m.WebmasterId && s.State == SiteState.Approved),
            }).ToListAsync(ct);
        var byPlan = applications.ToLookup(a => a.PlanId);
        Plans = [.. plans.Select(p => new TargetedPlanRow(p.Id, p.Name, p.ShopId, zh ? p.ShopZh : p.ShopEn, p.ItemId, zh ? p.ItemZh : p.ItemEn,
            new Rate(p.RateBp), p.StartsAt, p.EndsAt, TargetedPlanRules.StatusAt(p.IsActive, p.StartsAt, p.EndsAt, now),
            [.. byPlan[p.Id]
                // Waiting applications first: they are what the seller came to decide.
                .OrderBy(a => a.State == PlanMembershipState.Applied ? 0 : 1).ThenBy(a => a.AppliedAt)
                .Select(a => new Application(a.WebmasterId, a.Email ?? "", a.DisplayName, a.ApprovedSites, a.State, a.AppliedAt, a.DecidedAt))]))];
    }
}
