using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Plans;

/// <summary>
/// Creates a targeted plan on one of the seller's shops (or one item of it): a rate above the one it
/// replaces (the item's own rate, or the shop's general rate), from a start to an optional end, entered
/// in China time as everything else on the site is shown.
/// </summary>
public sealed class CreateModel(AllianceDbContext db, TargetedPlans plans, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class PlanInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CatalogRules.PlanNameMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Plan name")]
        public string Name { get; set; } = "";

        [Display(Name = "Item")]
        public long? ItemId { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Range(0d, 90d, ErrorMessage = "{0} must be between {1} and {2}.")]
        [Display(Name = "Plan rate (%)")]
        public decimal? RatePercent { get; set; }

        /// <summary>China time as the <c>datetime-local</c> input sends it; parsed by <see cref="ChinaTime"/>, so no culture can change it.</summary>
        [Required(ErrorMessage = "{0} is required.")]
        [Display(Name = "Starts (China time)")]
        public string? StartsAt { get; set; }

        [Display(Name = "Ends (China time, optional)")]
        public string? EndsAt { get; set; }
    }

    public sealed record ItemOption(long Id, string Title, Rate Rate);

    public sealed record ShopOption(long Id, string Name);

    [BindProperty(SupportsGet = true, Name = "shop")] public long? ShopId { get; set; }

    [BindProperty] public PlanInput Input { get; set; } = new();

    public IReadOnlyList<ShopOption> Shops { get; private set; } = [];
    public string ShopName { get; private set; } = "";
    public Rate ShopRate { get; private set; }
    public IReadOnlyList<ItemOption> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (ShopId is null)
        {
            // No shop chosen yet: offer the seller's shops (or the way to create one).
            var zh = CultureInfo.CurrentUICulture.IsChinese();
            Shops = await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
                .Select(s => new ShopOption(s.Id, zh ? s.NameZh : s.NameEn)).ToListAsync(ct);
            return Page();
        }
        if (await me.OwnedShopAsync(ShopId.Value, ct) is not { } shop) return NotFound();
        await LoadAsync(shop, ct);
        // Starts now by default, to the minute (a start in the past is fine: the plan runs from now on).
        Input.StartsAt = ChinaTime.ToLocalInput(clock.GetUtcNow());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ShopId is not { } shopId || await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        await LoadAsync(shop, ct);
        var now = clock.GetUtcNow();

        if (Input.RatePercent is { } percent && ModelState.GetFieldValidationState("Input.RatePercent") != ModelValidationState.Invalid
            && !CatalogRules.IsValidRatePercent(percent))
        {
            ModelState.AddModelError("Input.RatePercent", localizer["Enter a rate between 0 and 90 % with at most two decimals."]);
        }
        var startsAt = ChinaTime.ParseLocalInput(Input.StartsAt);
        if (startsAt is null && !string.IsNullOrWhiteSpace(Input.StartsAt))
        {
            ModelState.AddModelError("Input.StartsAt", localizer["Enter the start as a date and time."]);
        }
        var endsAt = ChinaTime.ParseLocalInput(Input.EndsAt);
        if (endsAt is null && !string.IsNullOrWhiteSpace(Input.EndsAt))
        {
            ModelState.AddModelError("Input.EndsAt", localizer["Enter the end as a date and time, or leave it empty."]);
        }
        if (startsAt is not null && endsAt is not null && endsAt <= startsAt)
        {
            ModelState.AddModelError("Input.EndsAt", localizer["The end must be after the start."]);
        }
        else if (endsAt is not null && endsAt <= now)
        {
            ModelState.AddModelError("Input.EndsAt", localizer["The end must be in the future."]);
        }
        if (!ModelState.IsValid) return Page();

        var outcome = await plans.CreateAsync(new PlanRequest(shop.Id, me.UserId, Input.ItemId, Input.Name, Rate.FromPercent(Input.RatePercent!.Value), startsAt!.Value, endsAt), ct);
        if (outcome.Plan is not { } plan)
        {
            if (outcome.Refusal == PlanRefusal.ItemNotInShop) ModelState.AddModelError("Input.ItemId", localizer["Choose an item of this shop, or the whole shop."]);
            else ModelState.AddModelError("Input.RatePercent", localizer["A targeted plan must pay more than the rate it replaces ({0}).", outcome.Replaced]);
            return Page();
        }
        TempData["SellerPlansMessage"] = localizer["Targeted plan “{0}” created. Webmasters can apply from the item library; approve them here.", plan.Name].Value;
        return RedirectToPage("/Plans/Index", new { area = "Seller" });
    }

    private async Task LoadAsync(Shop shop, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        ShopName = zh ? shop.NameZh : shop.NameEn;
        ShopRate = new Rate(shop.GeneralRateBp);
        var items = await db.Items.AsNoTracking().Where(i => i.ShopId == shop.Id).OrderBy(i => zh ? i.TitleZh : i.TitleEn).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.TitleZh, i.TitleEn, i.CommissionRateBp }).ToListAsync(ct);
        Items = [.. items.Select(i => new ItemOption(i.Id, zh ? i.TitleZh : i.TitleEn, new Rate(i.CommissionRateBp ?? shop.GeneralRateBp)))];
    }
}
