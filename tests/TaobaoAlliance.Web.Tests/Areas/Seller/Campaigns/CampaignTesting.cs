using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Campaigns;

/// <summary>The campaign form as a browser fills it: repeated keys for the item and category checkboxes.</summary>
public sealed record CampaignForm(long ShopId, string Name, IReadOnlyList<long> ItemIds, string Bid, string Budget, IReadOnlyList<int> CategoryIds,
    string StartsAt, string EndsAt = "")
{
    public List<KeyValuePair<string, string>> Fields()
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Input.ShopId", ShopId.ToString(CultureInfo.InvariantCulture)),
            new("Input.Name", Name),
            new("Input.BidYuan", Bid),
            new("Input.DailyBudgetYuan", Budget),
            new("Input.StartsAt", StartsAt),
            new("Input.EndsAt", EndsAt),
            // The advisor's fields are in the same form: a browser always sends them, filled in or not.
            new("Advice.ConversionRatePercent", ""),
            new("Advice.ProfitPerOrderYuan", ""),
            new("Advice.RepeatProfitYuan", "0"),
        };
        fields.AddRange(ItemIds.Select(i => new KeyValuePair<string, string>("Input.ItemIds", i.ToString(CultureInfo.InvariantCulture))));
        fields.AddRange(CategoryIds.Select(c => new KeyValuePair<string, string>("Input.CategoryIds", c.ToString(CultureInfo.InvariantCulture))));
        return fields;
    }
}

/// <summary>Arranging sellers and campaigns, and reading the campaign pages.</summary>
public static partial class CampaignTesting
{

    /// <summary>Listed items of a shop, lowest ids first.</summary>
    public static async Task<List<long>> ListedItemsAsync(this AllianceApp app, long shopId, int count)
    {
        await using var db = app.NewDb();
        return await db.Items.Where(i => i.ShopId == shopId && i.IsListed).OrderBy(i => i.Id).Select(i => i.Id).Take(count).ToListAsync();
    }

    /// <summary>A campaign arranged straight in the database (as if created earlier through the form).</summary>
    public static async Task<Campaign> AddCampaignAsync(this AllianceApp app, long shopId, long bidFen = 30, long budgetFen = 1000,
        CampaignState state = CampaignState.Active)
    {
        await using var db = app.NewDb();
        var itemId = await db.Items.Where(i => i.ShopId == shopId && i.IsListed).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
        var now = app.Clock.GetUtcNow();
        var campaign = new Campaign
        {
            ShopId = shopId, Name = "Arranged " + Guid.NewGuid().ToString("N")[..6], BidFen = bidFen, DailyBudgetFen = budgetFen, State = state,
            StartsAt = now.AddDays(-1), CreatedAt = now.AddDays(-1),
        };
        campaign.Items.Add(new CampaignItem { ItemId = itemId });
        campaign.Categories.Add(new CampaignCategory { CategoryId = 3 });
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        return campaign;
    }

    /// <summary>Posts the campaign form (new, or an existing campaign's) with a token from the form page.</summary>
    public static Task<HttpResponseMessage> PostCampaignAsync(this BrowserSession browser, CampaignForm form, long? campaignId = null,
        string handler = "", IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var url = "/Seller/Campaigns/Edit" + (campaignId is { } id ? "/" + id.ToString(CultureInfo.InvariantCulture) : "");
        var action = handler.Length == 0 ? url : url + "?handler=" + handler;
        var more = extra?.ToList() ?? [];
        // What the test adds replaces the form's own value of that field, as typing into it would.
        var fields = form.Fields().Where(f => more.All(m => m.Key != f.Key)).Concat(more);
        return browser.PostAsync(action, fields, tokenPage: "/Seller/Campaigns/Edit");
    }
}
