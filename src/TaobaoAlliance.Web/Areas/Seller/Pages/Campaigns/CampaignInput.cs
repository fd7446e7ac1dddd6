using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Campaigns;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Campaigns;

/// <summary>The campaign form's fields, and the checks of what was typed (amounts in whole fen, the bid's range, dates).</summary>
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

    /// <summary>A saved campaign in the form's terms (China wall-clock times, yuan).</summary>
    public static CampaignInput From(CampaignDraft campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new()
        {
            ShopId = campaign.ShopId,
            Name = campaign.Name,
            ItemIds = [.. campaign.ItemIds],
            BidYuan = campaign.Bid.Yuan,
            DailyBudgetYuan = campaign.DailyBudget.Yuan,
            CategoryIds = [.. campaign.CategoryIds],
            StartsAt = ChinaTime.ToLocalInput(campaign.StartsAt),
            EndsAt = campaign.EndsAt is { } endsAt ? ChinaTime.ToLocalInput(endsAt) : null,
        };
    }

    /// <summary>The request when every typed value is good; otherwise null, with each broken rule a message next to its field.</summary>
    public CampaignRequest? ToRequest(long sellerId, long userId, Money reserve, ModelStateDictionary modelState, IStringLocalizer<SharedResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(localizer);
        Money bid = Money.Zero, budget = Money.Zero;
        if (BidYuan is { } bidYuan && WholeFen(bidYuan, "Input.BidYuan", modelState, localizer) is { } b)
        {
            bid = b;
            if (b < reserve) modelState.AddModelError("Input.BidYuan", localizer["The bid must be at least {0}, the platform's reserve price.", reserve]);
            else if (b > CampaignEditor.MaxBid) modelState.AddModelError("Input.BidYuan", localizer["The bid can be at most {0} a click.", CampaignEditor.MaxBid]);
        }
        if (DailyBudgetYuan is { } budgetYuan && WholeFen(budgetYuan, "Input.DailyBudgetYuan", modelState, localizer) is { } d)
        {
            budget = d;
            if (d > CampaignEditor.MaxDailyBudget) modelState.AddModelError("Input.DailyBudgetYuan", localizer["The daily budget can be at most {0}.", CampaignEditor.MaxDailyBudget]);
            else if (bid.Fen > 0 && d < bid) modelState.AddModelError("Input.DailyBudgetYuan", localizer["The daily budget must be at least the bid ({0}): otherwise not one click fits in a day.", bid]);
        }

        var startsAt = ChinaTime.ParseLocalInput(StartsAt);
        if (startsAt is null) modelState.AddModelError("Input.StartsAt", localizer["Enter when the campaign starts, as a date and time."]);
        DateTimeOffset? endsAt = null;
        if (!string.IsNullOrWhiteSpace(EndsAt))
        {
            if (ChinaTime.ParseLocalInput(EndsAt) is not { } ends) modelState.AddModelError("Input.EndsAt", localizer["Enter the end as a date and time, or leave it empty."]);
            else if (startsAt is not null && ends <= startsAt) modelState.AddModelError("Input.EndsAt", localizer["The campaign must end after it starts."]);
            else endsAt = ends;
        }
        return modelState.IsValid && startsAt is { } starts
            ? new CampaignRequest(sellerId, userId, ShopId, Name, ItemIds, CategoryIds, bid, budget, starts, endsAt)
            : null;
    }

    /// <summary>Puts each reason the use case refused next to its field.</summary>
    public static void Refused(CampaignOutcome outcome, ModelStateDictionary modelState, IStringLocalizer<SharedResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(localizer);
        foreach (var refusal in outcome.Refusals)
        {
            var (key, message) = refusal switch
            {
                CampaignRefusal.NotYourShop => ("Input.ShopId", localizer["Choose one of your shops."]),
                CampaignRefusal.NoItems => ("Input.ItemIds", localizer["Choose at least one item to advertise."]),
                CampaignRefusal.ItemNotListedInShop => ("Input.ItemIds", localizer["Only listed items of the chosen shop can be advertised."]),
                CampaignRefusal.NoCategories => ("Input.CategoryIds", localizer["Choose at least one site category to show the ads on."]),
                _ => throw new ArgumentOutOfRangeException(nameof(outcome), refusal, "Not a refusal of the form"),
            };
            modelState.AddModelError(key, message);
        }
    }

    private static Money? WholeFen(decimal yuan, string key, ModelStateDictionary modelState, IStringLocalizer<SharedResource> localizer)
    {
        if (decimal.Round(yuan, 2) != yuan)
        {
            modelState.AddModelError(key, localizer["Enter yuan with at most two decimals (whole fen)."]);
            return null;
        }
        if (yuan <= 0 || yuan > 100_000_000m)
        {
            modelState.AddModelError(key, localizer["Enter an amount above ¥0."]);
            return null;
        }
        return Money.FromYuan(yuan);
    }
}

/// <summary>The bid advisor's fields, riding along in the campaign form, and their checks.</summary>
public sealed class AdviceInput
{
    /// <summary>The highest profit the advisor accepts, per order or repeat.</summary>
    public static readonly Money MaxAdvisorProfit = Money.FromYuan(1_000_000m);

    [Display(Name = "Conversion rate (%)")]
    public decimal? ConversionRatePercent { get; set; }

    [Display(Name = "Profit per order (¥)")]
    public decimal? ProfitPerOrderYuan { get; set; }

    [Display(Name = "Expected repeat profit per customer (¥)")]
    public decimal? RepeatProfitYuan { get; set; } = 0m;

    /// <summary>The advice when the fields are complete and good; otherwise null, with a message next to each bad field.</summary>
    public BidAdvice? Advise(ModelStateDictionary modelState, IStringLocalizer<SharedResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(localizer);
        var rate = ConversionRatePercent;
        if (rate is null || rate <= 0 || rate > BidAdvisor.MaxConversionRatePercent || decimal.Round(rate.Value, 4) != rate)
        {
            modelState.AddModelError("Advice.ConversionRatePercent", localizer["Enter a conversion rate above 0 % and at most 100 %."]);
        }
        var profit = AdviceMoney(ProfitPerOrderYuan, "Advice.ProfitPerOrderYuan", localizer["Enter the profit per order, above ¥0."], modelState, localizer);
        if (profit is { Fen: <= 0 })
        {
            modelState.AddModelError("Advice.ProfitPerOrderYuan", localizer["Enter the profit per order, above ¥0."]);
        }
        var repeat = RepeatProfitYuan is null ? Money.Zero
            : AdviceMoney(RepeatProfitYuan, "Advice.RepeatProfitYuan", localizer["Repeat profit cannot be negative."], modelState, localizer);
        if (repeat is { Fen: < 0 })
        {
            modelState.AddModelError("Advice.RepeatProfitYuan", localizer["Repeat profit cannot be negative."]);
        }
        if (modelState.GetFieldValidationState("Advice") == ModelValidationState.Invalid
            || rate is null || profit is null || repeat is null || profit.Value.Fen <= 0 || repeat.Value.Fen < 0)
        {
            return null;
        }
        return BidAdvisor.Advise(rate.Value, profit.Value, repeat.Value);
    }

    private static Money? AdviceMoney(decimal? yuan, string key, string missing, ModelStateDictionary modelState, IStringLocalizer<SharedResource> localizer)
    {
        if (modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0) return null; // not a number: binding said so
        if (yuan is null)
        {
            modelState.AddModelError(key, missing);
            return null;
        }
        if (decimal.Round(yuan.Value, 2) != yuan)
        {
            modelState.AddModelError(key, localizer["Enter yuan with at most two decimals (whole fen)."]);
            return null;
        }
        if (yuan > MaxAdvisorProfit.Yuan)
        {
            modelState.AddModelError(key, localizer["Enter at most {0}.", MaxAdvisorProfit]);
            return null;
        }
        return Money.FromYuan(yuan.Value);
    }
}
