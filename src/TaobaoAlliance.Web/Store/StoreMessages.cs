using System.Globalization;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Store;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Store;

/// <summary>A refused checkout or buyer action in the buyer's language.</summary>
public static class StoreMessages
{
    /// <summary>The title the buyer reads: Chinese or English, as the page is shown.</summary>
    public static string Title(ItemTitle title)
    {
        ArgumentNullException.ThrowIfNull(title);
        return CultureInfo.CurrentUICulture.IsChinese() ? title.Zh : title.En;
    }

    public static string Refused(CheckoutOutcome outcome, IStringLocalizer<SharedResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(localizer);
        return outcome.Refusal switch
        {
            CheckoutRefusal.AlreadyPlaced => localizer["This order was already placed."],
            CheckoutRefusal.EmptyCart => localizer["Your cart is empty."],
            CheckoutRefusal.ItemNotForSale => localizer["“{0}” is no longer for sale. Remove it from your cart to check out.", Title(outcome.Unlisted!)],
            CheckoutRefusal.PricesChanged => localizer["Prices in your cart have changed. Check the new total and place the order again."],
            CheckoutRefusal.OrderRefused when outcome.OrdersPlaced == 0 => localizer["The order could not be placed: {0}", outcome.Detail],
            CheckoutRefusal.OrderRefused => localizer["Some orders were placed; the items left in your cart could not be ordered: {0}", outcome.Detail],
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Refusal, "Not a refusal with a message"),
        };
    }

    public static string Refused(BuyerOrderOutcome outcome, IStringLocalizer<SharedResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(localizer);
        return outcome.Refusal switch
        {
            BuyerOrderRefusal.NotWaitingForDelivery =>
                localizer["Order {0} is not waiting for delivery, so there is no receipt to confirm.", outcome.ExternalOrderId],
            BuyerOrderRefusal.QuantityBelowOne => localizer["Enter a quantity of at least 1."],
            BuyerOrderRefusal.AlreadyFullyRefunded => localizer["That line of order {0} is already fully refunded.", outcome.ExternalOrderId],
            BuyerOrderRefusal.MoreThanRefundable =>
                localizer["You can ask for a refund of at most {0} of that line of order {1}.", outcome.Refundable, outcome.ExternalOrderId],
            BuyerOrderRefusal.EventRefused => localizer["Order {0} could not be updated: {1}", outcome.ExternalOrderId, outcome.Detail],
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Refusal, "Not a refusal with a message"),
        };
    }
}
