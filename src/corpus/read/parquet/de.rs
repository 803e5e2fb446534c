//! A row of a record batch as a serde `Deserializer`: what the fast path
//! of reading (`records::fast`) deserializes a Parquet row from, with the
//! strings borrowed from the Arrow buffers instead of copied into a
//! `serde_json::Value`.
//!
//! It shows a deserializer exactly the JSON value the checked path
//! builds from the same row ([`super::imp::value`] and the row object of
//! [`super::RowRef::fields`]): a null top-level value is no field at all,
//! except `id` and `text`; a null inside a struct is `null`; a struct
//! has every field; a float that is not finite is `null`; a whole number
//! is visited as `u64` when it is not negative, as `serde_json` does. So
//! whatever a typed struct accepts from this deserializer it accepts from
//! that value, with the same content, and the fast path stays one that
//! only skips work. `tests` check the two against each other.
//!
//! A batch's columns are typed once ([`Decoded`]): a value is then read
//! by a match on its column's [`Col`], the arrays of strings, booleans,
//! 64-bit integers, lists and structs held as themselves; other types go
//! through the `dyn Array` reader ([`Cell`]), value by value.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Int64Array, LargeStringArray, RecordBatch, StringArray,
    StringViewArray, UInt64Array,
};
use arrow_buffer::{ArrowNativeType, NullBuffer, OffsetBuffer};
use arrow_schema::DataType;
use serde::de::value::{BorrowedStrDeserializer, Error};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

/// A record batch with the type of each column resolved once, so that
/// reading a value is a match on [`Col`], not a downcast of a
/// `dyn Array` per value.
pub(crate) struct Decoded {
    pub batch: RecordBatch,
    cols: Vec<Col>,
}

impl Decoded {
    pub fn new(batch: RecordBatch) -> Decoded {
        let cols = batch.columns().iter().map(Col::new).collect();
        Decoded { batch, cols }
    }
}

/// A column of a batch, typed: the types records are made of have their
/// own arrays; any other that has a JSON value is read as a `dyn Array`.
enum Col {
    Null,
    Utf8(StringArray),
    LargeUtf8(LargeStringArray),
    View(StringViewArray),
    Bool(BooleanArray),
    I64(Int64Array),
    U64(UInt64Array),
    List(Option<NullBuffer>, OffsetBuffer<i32>, Box<Col>),
    LargeList(Option<NullBuffer>, OffsetBuffer<i64>, Box<Col>),
    Struct(Option<NullBuffer>, Vec<(String, Col)>),
    Other(ArrayRef),
}

impl Col {
    fn new(a: &ArrayRef) -> Col {
        match a.data_type() {
            DataType::Null => Col::Null,
            DataType::Utf8 => Col::Utf8(a.as_string::<i32>().clone()),
            DataType::LargeUtf8 => Col::LargeUtf8(a.as_string::<i64>().clone()),
            DataType::Utf8View => Col::View(a.as_string_view().clone()),
            DataType::Boolean => Col::Bool(a.as_boolean().clone()),
            DataType::Int64 => Col::I64(a.as_primitive::<Int64Type>().clone()),
            DataType::UInt64 => Col::U64(a.as_primitive::<UInt64Type>().clone()),
            DataType::List(_) => {
                let l = a.as_list::<i32>();
                let values = Box::new(Col::new(l.values()));
                Col::List(l.nulls().cloned(), l.offsets().clone(), values)
            }
            DataType::LargeList(_) => {
                let l = a.as_list::<i64>();
                let values = Box::new(Col::new(l.values()));
                Col::LargeList(l.nulls().cloned(), l.offsets().clone(), values)
            }
            DataType::Struct(fields) => {
                let s = a.as_struct();
                let children = fields
                    .iter()
                    .zip(s.columns())
                    .map(|(f, c)| (f.name().clone(), Col::new(c)))
                    .collect();
                Col::Struct(s.nulls().cloned(), children)
            }
            _ => Col::Other(a.clone()),
        }
    }

    /// Whether value `i` is JSON `null`, as [`is_json_null`] says.
    fn is_null(&self, i: usize) -> bool {
        let null = |n: &Option<NullBuffer>| n.as_ref().is_some_and(|n| n.is_null(i));
        match self {
            Col::Null => true,
            Col::Utf8(a) => a.is_null(i),
            Col::LargeUtf8(a) => a.is_null(i),
            Col::View(a) => a.is_null(i),
            Col::Bool(a) => a.is_null(i),
            Col::I64(a) => a.is_null(i),
            Col::U64(a) => a.is_null(i),
            Col::List(n, ..) | Col::LargeList(n, ..) | Col::Struct(n, _) => null(n),
            Col::Other(a) => is_json_null(a.as_ref(), i),
        }
    }
}

/// Row `i` of a batch, as the JSON object of its line.
pub(crate) struct RowDe<'de> {
    pub batch: &'de Decoded,
    pub i: usize,
}

/// Whether the value at `i` is JSON `null`: a null, a column of the null
/// type, or a float that is not finite.
pub(super) fn is_json_null(a: &dyn Array, i: usize) -> bool {
    if a.is_null(i) {
        return true;
    }
    match a.data_type() {
        DataType::Null => true,
        DataType::Float32 => !a.as_primitive::<Float32Type>().value(i).is_finite(),
        DataType::Float64 => !a.as_primitive::<Float64Type>().value(i).is_finite(),
        _ => false,
    }
}

/// Whether a top-level column is in the row object when its value is
/// null: `id` and `text` are, so that the checked path reports them.
pub(super) fn kept_when_null(name: &str) -> bool {
    name == "id" || name == "text"
}

impl<'de> Deserializer<'de> for RowDe<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_map(RowMap {
            batch: self.batch,
            i: self.i,
            next: 0,
            value: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct RowMap<'de> {
    batch: &'de Decoded,
    i: usize,
    next: usize,
    value: Option<&'de Col>,
}

impl<'de> MapAccess<'de> for RowMap<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let fields = self.batch.batch.schema_ref().fields();
        while self.next < fields.len() {
            let k = self.next;
            self.next += 1;
            let name: &'de str = fields[k].name();
            let column: &'de Col = &self.batch.cols[k];
            if column.is_null(self.i) && !kept_when_null(name) {
                continue;
            }
            self.value = Some(column);
            return seed
                .deserialize(BorrowedStrDeserializer::<Error>::new(name))
                .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let col = self.value.take().expect("a key first");
        seed.deserialize(Value { col, i: self.i })
    }

    fn size_hint(&self) -> Option<usize> {
        None
    }
}

/// One value of an array.
#[derive(Clone, Copy)]
pub(crate) struct Cell<'de> {
    pub array: &'de dyn Array,
    pub i: usize,
}

impl<'de> Cell<'de> {
    /// The string at `i`, if the array is of strings and it is not null.
    pub fn str(self) -> Option<&'de str> {
        let (a, i) = (self.array, self.i);
        if a.is_null(i) {
            return None;
        }
        match a.data_type() {
            DataType::Utf8 => Some(a.as_string::<i32>().value(i)),
            DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i)),
            DataType::Utf8View => Some(a.as_string_view().value(i)),
            _ => None,
        }
    }
}

/// A whole number, visited as `serde_json` visits the number it makes.
fn signed<'de, V: Visitor<'de>>(x: i64, v: V) -> Result<V::Value, Error> {
    if x >= 0 {
        v.visit_u64(x as u64)
    } else {
        v.visit_i64(x)
    }
}

fn float<'de, V: Visitor<'de>>(x: f64, v: V) -> Result<V::Value, Error> {
    if x.is_finite() {
        v.visit_f64(x)
    } else {
        v.visit_unit()
    }
}

/// A value of a type [`Col`] does not type (narrower integers, floats),
/// not null, read through the `dyn Array`.
fn scalar<'de, V: Visitor<'de>>(a: &'de dyn Array, i: usize, v: V) -> Result<V::Value, Error> {
    if let Some(s) = (Cell { array: a, i }).str() {
        return v.visit_borrowed_str(s);
    }
    use DataType::*;
    match a.data_type() {
        Boolean => v.visit_bool(a.as_boolean().value(i)),
        Int8 => signed(a.as_primitive::<Int8Type>().value(i).into(), v),
        Int16 => signed(a.as_primitive::<Int16Type>().value(i).into(), v),
        Int32 => signed(a.as_primitive::<Int32Type>().value(i).into(), v),
        Int64 => signed(a.as_primitive::<Int64Type>().value(i), v),
        UInt8 => v.visit_u64(a.as_primitive::<UInt8Type>().value(i).into()),
        UInt16 => v.visit_u64(a.as_primitive::<UInt16Type>().value(i).into()),
        UInt32 => v.visit_u64(a.as_primitive::<UInt32Type>().value(i).into()),
        UInt64 => v.visit_u64(a.as_primitive::<UInt64Type>().value(i)),
        Float32 => float(a.as_primitive::<Float32Type>().value(i).into(), v),
        Float64 => float(a.as_primitive::<Float64Type>().value(i), v),
        // Lists and structs are typed by `Col`; `supported` refuses the rest.
        _ => v.visit_unit(),
    }
}

/// One value of a typed column.
#[derive(Clone, Copy)]
struct Value<'de> {
    col: &'de Col,
    i: usize,
}

impl<'de> Deserializer<'de> for Value<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let (col, i) = (self.col, self.i);
        if col.is_null(i) {
            return v.visit_unit();
        }
        match col {
            Col::Null => v.visit_unit(),
            Col::Utf8(a) => v.visit_borrowed_str(a.value(i)),
            Col::LargeUtf8(a) => v.visit_borrowed_str(a.value(i)),
            Col::View(a) => v.visit_borrowed_str(a.value(i)),
            Col::Bool(a) => v.visit_bool(a.value(i)),
            Col::I64(a) => signed(a.value(i), v),
            Col::U64(a) => v.visit_u64(a.value(i)),
            Col::List(_, offsets, values) => v.visit_seq(Values {
                col: values,
                at: offsets[i].as_usize(),
                end: offsets[i + 1].as_usize(),
            }),
            Col::LargeList(_, offsets, values) => v.visit_seq(Values {
                col: values,
                at: offsets[i].as_usize(),
                end: offsets[i + 1].as_usize(),
            }),
            Col::Struct(_, fields) => v.visit_map(Fields { fields, i, next: 0 }),
            Col::Other(a) => scalar(a.as_ref(), i, v),
        }
    }

    /// As `serde_json::Value` does: `null` is `None`, anything else `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.col.is_null(self.i) {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The items of a list value.
struct Values<'de> {
    col: &'de Col,
    at: usize,
    end: usize,
}

impl<'de> SeqAccess<'de> for Values<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.at >= self.end {
            return Ok(None);
        }
        let i = self.at;
        self.at += 1;
        seed.deserialize(Value { col: self.col, i }).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.end - self.at)
    }
}

/// A struct value: every field, a null one as `null`.
struct Fields<'de> {
    fields: &'de [(String, Col)],
    i: usize,
    next: usize,
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((name, _)) = self.fields.get(self.next) else {
            return Ok(None);
        };
        seed.deserialize(BorrowedStrDeserializer::<Error>::new(name))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let (_, col) = &self.fields[self.next];
        self.next += 1;
        seed.deserialize(Value { col, i: self.i })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len() - self.next)
    }
}
