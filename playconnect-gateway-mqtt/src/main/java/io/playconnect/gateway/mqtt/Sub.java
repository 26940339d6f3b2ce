package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Subscription;

import java.util.List;

/**
 * One granted subscription of a connection, with its MQTT 5 options: No Local, Retain As
 * Published, Retain Handling and the Subscription Identifier. {@code key} is the filter as the
 * client sent it ({@code $share/g/a/#} for a shared one, whose {@code filter} is {@code a/#});
 * {@code plain} holds the broker subscriptions of a plain filter. Confined to the connection's
 * event loop.
 */
final class Sub {
    final String key;
    final TopicFilter filter;
    final Topics.Filter kind;
    /** The broker queue group of a shared subscription, or null. */
    final String shareGroup;
    int qos;
    boolean noLocal;
    boolean retainAsPublished;
    /** 0: send retained messages on subscribe; 1: only for a new subscription; 2: never. */
    int retainHandling;
    /** The MQTT 5 Subscription Identifier, or 0 for none. */
    int subscriptionId;
    List<Subscription> plain = List.of();

    Sub(String key, TopicFilter filter, Topics.Filter kind, String shareGroup) {
        this.key = key;
        this.filter = filter;
        this.kind = kind;
        this.shareGroup = shareGroup;
    }

    /** Takes the QoS (capped at {@code maxQos}) and, on MQTT 5, the options of a SUBSCRIBE entry. */
    Sub options(MqttTopicSubscription s, int maxQos, boolean v5, int subscriptionId) {
        MqttSubscriptionOption o = s.option();
        this.qos = Math.min(s.qualityOfService().value(), maxQos);
        this.noLocal = v5 && o.isNoLocal();
        this.retainAsPublished = v5 && o.isRetainAsPublished();
        this.retainHandling = v5 ? o.retainHandling().value() : 0;
        this.subscriptionId = v5 ? subscriptionId : 0;
        return this;
    }

    RoomId room() {
        return kind instanceof Topics.RoomFilter r ? r.room() : null;
    }

    boolean shared() {
        return shareGroup != null;
    }

    /** The SUBSCRIBE options byte without the QoS (bit 2 no local, 3 retain as published, 4-5 retain handling). */
    int options() {
        return (noLocal ? 4 : 0) | (retainAsPublished ? 8 : 0) | retainHandling << 4;
    }

    /** This subscription's identifier as a list for delivery properties (empty when it has none). */
    List<Integer> ids() {
        return subscriptionId == 0 ? List.of() : List.of(subscriptionId);
    }
}
