using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Web.Reports;
using TaobaoAlliance.Web.Sellers;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Campaigns;

/// <summary>
/// Creates or edits a CPC campaign of one of the seller's shops: items, bid, daily budget, target site
/// categories and schedule, with the bid advisor beside the bid. Everything is checked before anything is
/// written; another seller's campaign is not found.
/// </summary>
public sealed class EditModel(
    AllianceDbContext db,
    CurrentActor me,
    AuditTrail audit,
    TimeProvider clock,
    IOptionsSnapshot<AllianceOptions> options,
    IStringLocalizer<SharedResource> localizer,
    ILogger<EditModel> logger) : PageModel
{
    /// <summary>The highest bid the form accepts: far above any real click price, low enough to stop a typo of an extra zero or three.</summary>
    public static readonly Money MaxBid = Money.FromYuan(100m);

    /// <summary>The highest daily budget the form accepts (a typo guard; the wallet is the real limit).</summary>
    public static readonly Money MaxDailyBudget = Money.FromYuan(1_000_000m);

    /// <summary>The highest profit the advisor accepts, per order or repeat.</summary>
    public static readonly Money MaxAdvisorProfit = Money.FromYuan(1_000_000m);

    /// <summary>Days of the shop's history the conversion rate is prefilled from.</summary>
    public const int HistoryDays = 30;

    public sealed class CampaignInput
    {
        [Display(Name = "Shop")]
        public long? ShopId { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Campaign name")]
        public string Name { get; set; } = "";

        public List<long> ItemIds { get; set; } = [];

        [Required(ErrorMessage = "{0} is required.")]
        [Display(Name = "Bid per click (¥)")]
        public decimal? BidYuan { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Display(Name = "Daily budget (¥)")]
        public decimal? DailyBudgetYuan { get; set; }

        public List<int> CategoryIds { get; set; } = [];

        /// <summary>China time as the <c>datetime-local</c> input sends it; parsed here, not by model binding, so no culture can change it.</summary>
        [Display(Name = "Starts at")]
        public string? StartsAt { get; set; }

        [Display(Name = "Ends at (optional)")]
        public string? EndsAt { get; set; }
    }

    public sealed class AdviceInput
    {
        [Display(Name = "Conversion rate (%)")]
        public decimal? ConversionRatePercent { get; set; }

        [Display(Name = "Profit per order (¥)")]
        public decimal? ProfitPerOrderYuan { get; set; }

        [Display(Name = "Expected repeat profit per customer (¥)")]
        public decimal? RepeatProfitYuan { get; set; } = 0m;
    }

    /// <summary>A shop of the seller, with its recent conversion rate when there is one to go by.</summary>
    public sealed record ShopOption(long Id, string Name, decimal? ConversionRatePercent, int Clicks, int Orders);

    public sealed record ItemOption(long Id, long ShopId, string Title, Money Price);

    public sealed record CategoryOption(int Id, string Name);

    [BindProperty] public CampaignInput Input { get; set; } = new();

    [BindProperty] public AdviceInput Advice { get; set; } = new();

    /// <summary>The campaign being edited; null while creating one.</summary>
    public long? CampaignId { get; private set; }

    public IReadOnlyList<ShopOption> Shops { get; private set; } = [];

    /// <summary>Listed items of all the seller's shops; the page shows the chosen shop's.</summary>
    public IReadOnlyList<ItemOption> Items { get; private set; } = [];

    public IReadOnlyList<CategoryOption> Categories { get; private set; } = [];

    /// <summary>The advisor's answer after "Advise"; null until the seller asks (or when the inputs are incomplete).</summary>
    public BidAdvice? AdviceResult { get; private set; }

    /// <summary>The bid the cost-per-order sentence is worked out at: the form's bid when it is a real one, else the break-even bid.</summary>
    public Money? AdviceBid { get; private set; }

    public Money Reserve => new(options.Value.CpcReserveFen);

    public ShopOption? ChosenShop => Shops.FirstOrDefault(s => s.Id == Input.ShopId);

    public async Task<IActionResult> OnGetAsync(long? id, long? shopId, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (id is { } campaignId)
        {
            var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId && c.Shop.SellerId == sellerId)
                .Select(c => new
                {
                    c.ShopId, c.Name, c.BidFen, c.DailyBudgetFen, c.StartsAt, c.EndsAt,
                    Items = c.Items.Select(i => i.ItemId).ToList(),
                    Categories = c.Categories.Select(k => k.CategoryId).ToList(),
                })
                .SingleOrDefaultAsync(ct);
            if (campaign is null) return NotFound();
            CampaignId = campaignId;
            Input = new CampaignInput
            {
                ShopId = campaign.ShopId,
                Name = campaign.Name,
                ItemIds = campaign.Items,
                BidYuan = new Money(campaign.BidFen).Yuan,
                DailyBudgetYuan = new Money(campaign.DailyBudgetFen).Yuan,
                CategoryIds = campaign.Categories,
                StartsAt = ChinaTime.ToLocalInput(campaign.StartsAt),
                EndsAt = campaign.EndsAt is { } endsAt ? ChinaTime.ToLocalInput(endsAt) : null,
            };
        }
        else
        {
            Input = new CampaignInput
            {
                ShopId = shopId,
                StartsAt = ChinaTime.ToLocalInput(clock.GetUtcNow()),
                BidYuan = Reserve.Yuan,
            };
        }

        await LoadAsync(sellerId, ct);
        if (Input.ShopId is null || ChosenShop is null) Input.ShopId = Shops.Count > 0 ? Shops[0].Id : null;
        Advice.ConversionRatePercent = ChosenShop?.ConversionRatePercent;
        return Page();
    }

    /// <summary>Saves the campaign, or shows the form again with what is wrong and writes nothing.</summary>
    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        // The advisor's fields ride along in the same form; they do not stop a save.
        Ignore(nameof(Advice));

        Campaign? campaign = null;
        if (id is { } campaignId)
        {
            campaign = await db.Campaigns.Include(c => c.Items).Include(c => c.Categories)
                .SingleOrDefaultAsync(c => c.Id == campaignId && c.Shop.SellerId == sellerId, ct);
            if (campaign is null) return NotFound();
            CampaignId = campaignId;
            // A campaign's clicks, spend and reports belong to one shop, so its shop never changes.
            Input.ShopId = campaign.ShopId;
        }

        await LoadAsync(sellerId, ct);
        var valid = Validate(out var bid, out var budget, out var startsAt, out var endsAt);
        if (!valid) return Page();

        var now = clock.GetUtcNow();
        var name = Input.Name.Trim();
        var itemIds = Input.ItemIds.Distinct().Order().ToList();
        var categoryIds = Input.CategoryIds.Distinct().Order().ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (campaign is null)
        {
            campaign = new Campaign
            {
                ShopId = Input.ShopId!.Value, Name = name, BidFen = bid.Fen, DailyBudgetFen = budget.Fen, State = CampaignState.Active,
                StartsAt = startsAt, EndsAt = endsAt, CreatedAt = now,
            };
            campaign.Items.AddRange(itemIds.Select(i => new CampaignItem { ItemId = i }));
            campaign.Categories.AddRange(categoryIds.Select(c => new CampaignCategory { CategoryId = c }));
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(ct);
            audit.Record(User.UserId(), "campaign.create", "campaign", campaign.Id,
                new { campaign.ShopId, campaign.Name, campaign.BidFen, campaign.DailyBudgetFen, Items = itemIds, Categories = categoryIds, campaign.StartsAt, campaign.EndsAt });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Seller {SellerId} created campaign {CampaignId} for shop {ShopId}", sellerId, campaign.Id, campaign.ShopId);
            TempData["CampaignMessage"] = localizer["Campaign “{0}” created. It competes for smart zones from its start time.", name].Value;
            return RedirectToPage("/Campaigns/Index", new { area = "Seller" });
        }

        var before = new { campaign.Name, campaign.BidFen, campaign.DailyBudgetFen, campaign.StartsAt, campaign.EndsAt };
        campaign.Name = name;
        campaign.BidFen = bid.Fen;
        campaign.DailyBudgetFen = budget.Fen;
        campaign.StartsAt = startsAt;
        campaign.EndsAt = endsAt;
        // Items delisted since are not on the form, so their absence is not a choice: they stay in the campaign
        // (never served while delisted) and come back into its ads if the seller lists them again.
        var campaignItemIds = campaign.Items.Select(i => i.ItemId).ToList();
        var delisted = await db.Items.Where(i => campaignItemIds.Contains(i.Id) && !i.IsListed).Select(i => i.Id).ToListAsync(ct);
        // Replace the sets by difference: removing and re-adding the same key in one save would be two rows with one key.
        campaign.Items.RemoveAll(i => !itemIds.Contains(i.ItemId) && !delisted.Contains(i.ItemId));
        campaign.Items.AddRange(itemIds.Where(i => campaign.Items.All(x => x.ItemId != i)).Select(i => new CampaignItem { ItemId = i }));
        campaign.Categories.RemoveAll(c => !categoryIds.Contains(c.CategoryId));
        campaign.Categories.AddRange(categoryIds.Where(c => campaign.Categories.All(x => x.CategoryId != c)).Select(c => new CampaignCategory { CategoryId = c }));
        await db.SaveChangesAsync(ct);

        if (before.DailyBudgetFen != budget.Fen)
        {
            // Today's spend row is what the click path charges against (its budget_fen is the day's cap, copied
            // from the campaign when the day's first click came), so a new budget only takes effect today if the
            // row changes too — from the next click on. It can never go below what was already spent: that money
            // is charged and gone, and the check constraint (spent_fen ≤ budget_fen) would refuse it; a budget at
            // or under today's spend simply stops today's charging. One UPDATE takes the row lock, so a click
            // charging at this moment is either counted in spent_fen here or sees the new cap — never lost.
            var today = ChinaTime.Today(clock);
            var newBudget = budget.Fen;
            await db.CampaignDailySpends.Where(s => s.CampaignId == campaign.Id && s.Day == today)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.BudgetFen, x => x.SpentFen > newBudget ? x.SpentFen : newBudget), ct);
        }
        audit.Record(User.UserId(), "campaign.update", "campaign", campaign.Id,
            new { Before = before, After = new { campaign.Name, campaign.BidFen, campaign.DailyBudgetFen, campaign.StartsAt, campaign.EndsAt }, Items = itemIds, Categories = categoryIds });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Seller {SellerId} updated campaign {CampaignId}: bid {BidFen} fen, daily budget {BudgetFen} fen", sellerId, campaign.Id, bid.Fen, budget.Fen);
        TempData["CampaignMessage"] = localizer["Campaign “{0}” saved. Changes apply from the next ad served.", name].Value;
        return RedirectToPage("/Campaigns/Index", new { area = "Seller" });
    }

    /// <summary>
    /// The bid advisor without JavaScript: works out the break-even bid from the advisor's fields and shows the
    /// form again with everything as entered. With <paramref name="useBid"/> it also puts that bid in the bid field.
    /// </summary>
    public async Task<IActionResult> OnPostAdviseAsync(long? id, bool useBid, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (id is { } campaignId)
        {
            var shopId = await db.Campaigns.Where(c => c.Id == campaignId && c.Shop.SellerId == sellerId).Select(c => (long?)c.ShopId).SingleOrDefaultAsync(ct);
            if (shopId is null) return NotFound();
            CampaignId = campaignId;
            Input.ShopId = shopId;
        }
        // Asking for advice is not saving: the campaign's own fields are not judged yet.
        Ignore(nameof(Input));
        await LoadAsync(sellerId, ct);

        if (ValidateAdvice() is { } advice)
        {
            AdviceResult = advice;
            if (useBid && advice.BreakEvenBid >= Reserve)
            {
                Input.BidYuan = Money.Min(advice.BreakEvenBid, MaxBid).Yuan;
                ModelState.Remove("Input.BidYuan"); // else the field would show the value that was posted
            }
            AdviceBid = Input.BidYuan is { } yuan && decimal.Round(yuan, 2) == yuan && yuan > 0 && yuan <= MaxBid.Yuan
                ? Money.FromYuan(yuan) : advice.BreakEvenBid;
        }
        return Page();
    }

    /// <summary>
    /// Leaves the fields under a prefix out of this request's validation, keeping what was typed for the form.
    /// (ClearValidationState would leave them "unvalidated", and an unvalidated field makes the form invalid.)
    /// </summary>
    private void Ignore(string prefix)
    {
        foreach (var (_, entry) in ModelState.FindKeysWithPrefix(prefix))
        {
            entry.Errors.Clear();
            entry.ValidationState = ModelValidationState.Skipped;
        }
    }

    private BidAdvice? ValidateAdvice()
    {
        var rate = Advice.ConversionRatePercent;
        if (rate is null || rate <= 0 || rate > BidAdvisor.MaxConversionRatePercent || decimal.Round(rate.Value, 4) != rate)
        {
            ModelState.AddModelError("Advice.ConversionRatePercent", localizer["Enter a conversion rate above 0 % and at most 100 %."]);
        }
        var profit = AdviceMoney(Advice.ProfitPerOrderYuan, "Advice.ProfitPerOrderYuan", localizer["Enter the profit per order, above ¥0."]);
        if (profit is { Fen: <= 0 })
        {
            ModelState.AddModelError("Advice.ProfitPerOrderYuan", localizer["Enter the profit per order, above ¥0."]);
        }
        var repeat = Advice.RepeatProfitYuan is null ? Money.Zero
            : AdviceMoney(Advice.RepeatProfitYuan, "Advice.RepeatProfitYuan", localizer["Repeat profit cannot be negative."]);
        if (repeat is { Fen: < 0 })
        {
            ModelState.AddModelError("Advice.RepeatProfitYuan", localizer["Repeat profit cannot be negative."]);
        }
        if (ModelState.GetFieldValidationState("Advice") == ModelValidationState.Invalid
            || rate is null || profit is null || repeat is null || profit.Value.Fen <= 0 || repeat.Value.Fen < 0)
        {
            return null;
        }
        return BidAdvisor.Advise(rate.Value, profit.Value, repeat.Value);
    }

    private Money? AdviceMoney(decimal? yuan, string key, string missing)
    {
        if (ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0) return null; // not a number: binding said so
        if (yuan is null)
        {
            ModelState.AddModelError(key, missing);
            return null;
        }
        if (decimal.Round(yuan.Value, 2) != yuan)
        {
            ModelState.AddModelError(key, localizer["Enter yuan with at most two decimals (whole fen)."]);
            return null;
        }
        if (yuan > MaxAdvisorProfit.Yuan)
        {
            ModelState.AddModelError(key, localizer["Enter at most {0}.", MaxAdvisorProfit]);
            return null;
        }
        return Money.FromYuan(yuan.Value);
    }

    /// <summary>Every rule of the form; each broken rule is a message next to its field.</summary>
    private bool Validate(out Money bid, out Money budget, out DateTimeOffset startsAt, out DateTimeOffset? endsAt)
    {
        bid = budget = Money.Zero;
        startsAt = default;
        endsAt = null;

        if (ChosenShop is null)
        {
            ModelState.AddModelError("Input.ShopId", localizer["Choose one of your shops."]);
        }
        if (Input.ItemIds.Count == 0)
        {
            ModelState.AddModelError("Input.ItemIds", localizer["Choose at least one item to advertise."]);
        }
        else if (ChosenShop is not null && Input.ItemIds.Any(i => !Items.Any(x => x.Id == i && x.ShopId == ChosenShop.Id)))
        {
            ModelState.AddModelError("Input.ItemIds", localizer["Only listed items of the chosen shop can be advertised."]);
        }

        if (Input.BidYuan is { } bidYuan)
        {
            if (WholeFen(bidYuan, "Input.BidYuan") is { } b)
            {
                bid = b;
                if (b < Reserve) ModelState.AddModelError("Input.BidYuan", localizer["The bid must be at least {0}, the platform's reserve price.", Reserve]);
                else if (b > MaxBid) ModelState.AddModelError("Input.BidYuan", localizer["The bid can be at most {0} a click.", MaxBid]);
            }
        }
        if (Input.DailyBudgetYuan is { } budgetYuan)
        {
            if (WholeFen(budgetYuan, "Input.DailyBudgetYuan") is { } d)
            {
                budget = d;
                if (d > MaxDailyBudget) ModelState.AddModelError("Input.DailyBudgetYuan", localizer["The daily budget can be at most {0}.", MaxDailyBudget]);
                else if (bid.Fen > 0 && d < bid) ModelState.AddModelError("Input.DailyBudgetYuan", localizer["The daily budget must be at least the bid ({0}): otherwise not one click fits in a day.", bid]);
            }
        }

        if (Input.CategoryIds.Count == 0 || Input.CategoryIds.Any(c => Categories.All(x => x.Id != c)))
        {
            ModelState.AddModelError("Input.CategoryIds", localizer["Choose at least one site category to show the ads on."]);
        }

        if (ChinaTime.ParseLocalInput(Input.StartsAt) is { } starts) startsAt = starts;
        else ModelState.AddModelError("Input.StartsAt", localizer["Enter when the campaign starts, as a date and time."]);
        if (!string.IsNullOrWhiteSpace(Input.EndsAt))
        {
            if (ChinaTime.ParseLocalInput(Input.EndsAt) is not { } ends) ModelState.AddModelError("Input.EndsAt", localizer["Enter the end as a date and time, or leave it empty."]);
            else if (startsAt != default && ends <= startsAt) ModelState.AddModelError("Input.EndsAt", localizer["The campaign must end after it starts."]);
            else endsAt = ends;
        }
        return ModelState.IsValid;
    }

    private Money? WholeFen(decimal yuan, string key)
    {
        if (decimal.Round(yuan, 2) != yuan)
        {
            ModelState.AddModelError(key, localizer["Enter yuan with at most two decimals (whole fen)."]);
            return null;
        }
        if (yuan <= 0 || yuan > 100_000_000m)
        {
            ModelState.AddModelError(key, localizer["Enter an amount above ¥0."]);
            return null;
        }
        return Money.FromYuan(yuan);
    }

    private async Task LoadAsync(long sellerId, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var shops = await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
            .Select(s => new { s.Id, Name = zh ? s.NameZh : s.NameEn }).ToListAsync(ct);
        var shopIds = shops.Select(s => s.Id).ToList();

        // The shop's own recent conversion rate is the best first guess for the advisor. Clicks are counted
        // through the clicks' (item, time) index, orders through the orders' shop index: cheap for a few shops.
        var since = clock.GetUtcNow().AddDays(-HistoryDays);
        var clicks = await db.Items.Where(i => shopIds.Contains(i.ShopId))
            .Join(db.Clicks.Where(c => c.IsValid && c.OccurredAt >= since), i => i.Id, c => c.ItemId, (i, c) => i.ShopId)
            .GroupBy(shopId => shopId).Select(g => new { ShopId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.ShopId, x => x.Count, ct);
        var orders = await db.Orders.Where(o => shopIds.Contains(o.ShopId) && o.AttributedClickId != null && o.PaidAt >= since)
            .GroupBy(o => o.ShopId).Select(g => new { ShopId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.ShopId, x => x.Count, ct);
        Shops = [.. shops.Select(s =>
        {
            var c = clicks.GetValueOrDefault(s.Id);
            var o = orders.GetValueOrDefault(s.Id);
            decimal? rate = c > 0 && o > 0 ? Math.Min(100m, Math.Round(o * 100m / c, 2, MidpointRounding.AwayFromZero)) : null;
            return new ShopOption(s.Id, s.Name, rate is > 0 ? rate : null, c, o);
        })];

        Items = await db.Items.AsNoTracking().Where(i => shopIds.Contains(i.ShopId) && i.IsListed).OrderBy(i => i.ShopId).ThenBy(i => i.Id)
            .Select(i => new ItemOption(i.Id, i.ShopId, zh ? i.TitleZh : i.TitleEn, new Money(i.PriceFen))).ToListAsync(ct);
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new CategoryOption(c.Id, zh ? c.NameZh : c.NameEn)).ToListAsync(ct);
    }
}
